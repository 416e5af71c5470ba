package dev.voicebus.worker.session;

import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.realtime.client.RealtimeConnection;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.session.SessionConfig;
import dev.voicebus.worker.state.StateChange;
import java.time.Duration;
import java.util.Optional;

/**
 * What a call's {@link CallCoordinator} decided should happen, as a value. The coordinator only
 * returns effects; the worker's runtime carries them out in order (sockets, Kafka, timers), so
 * every decision is unit-tested by looking at the effects of plain inputs.
 */
public sealed interface Effect {

  /** Send {@code event} on the Realtime session {@code via}. */
  record ToRealtime(RealtimeConnection via, ClientEvent event) implements Effect {}

  /** Agent audio, a playback clear or a hang-up for the caller's ingest node (audio.out). */
  record ToCaller(AudioOut out) implements Effect {}

  /** Publish a transcript delta or final on the transcripts topic. */
  record PublishTranscript(TranscriptEvent event) implements Effect {}

  /** Publish a lifecycle, error, reconnect, usage or summary event on session.events. */
  record PublishSessionEvent(SessionEvent event) implements Effect {}

  /**
   * Publish a tool call for the tool executor; {@code traceparent} names the tool call's span
   * (empty when tracing is off).
   */
  record PublishToolCall(ToolCall call, Optional<String> traceparent) implements Effect {}

  /**
   * The call's durable state changed by {@code change} (already applied to the coordinator's
   * state): the runtime writes the new state to the store.
   */
  record StateChanged(StateChange change) implements Effect {}

  /** Fire {@code key} after {@code after}, replacing a pending timer of the same key. */
  record StartTimer(TimerKey key, Duration after) implements Effect {}

  /** Forget the pending timer of {@code key}, if any. */
  record CancelTimer(TimerKey key) implements Effect {}

  /** The call is over on this worker: forget every pending timer. */
  record CancelAllTimers() implements Effect {}

  /** Open a Realtime session for the call; its events come back tagged with {@code generation}. */
  record OpenSession(int generation) implements Effect {}

  /** Close the Realtime session {@code connection} with a WebSocket close code and reason. */
  record CloseSession(RealtimeConnection connection, int code, String reason) implements Effect {}

  // ---- SIP calls (OpenAI carries the call; the worker controls it through the calls API) ----

  /**
   * Answer the ringing SIP call with {@code session} (the profile's configuration, as a stream call
   * gets it in {@code session.update}); the answer comes back as {@link CallsAnswer}.
   */
  record AcceptCall(SessionConfig session) implements Effect {}

  /**
   * Attach a sideband socket to the SIP call's session; its events come back tagged with {@code
   * generation}, a refusal because the call is gone as a call-gone input.
   */
  record AttachSession(int generation) implements Effect {}

  /** Decline the ringing SIP call with SIP status {@code sipStatus}. */
  record RejectCall(int sipStatus) implements Effect {}

  /**
   * Transfer the SIP call to {@code targetUri} ({@code tel:+E164} or {@code sip:...}) with a REFER;
   * the answer comes back for the transfer's tool call {@code toolCallId}.
   */
  record ReferCall(String toolCallId, String targetUri) implements Effect {}

  /** End the SIP call through the calls API. */
  record HangUpCall() implements Effect {}

  /**
   * Publish {@code ended} on call.control: a SIP call's end is known to the worker only, and ingest
   * (capacity) and every other reader learn it from this record.
   */
  record PublishCallEnded(CallEnded ended) implements Effect {}
}

package dev.voicebus.worker.session;

import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.ErrorSource;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.observability.trace.Tracing;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.redaction.CallRedactor;
import dev.voicebus.redaction.Redactor;
import dev.voicebus.worker.config.CallSettings;
import dev.voicebus.worker.metrics.WorkerMetrics;
import dev.voicebus.worker.output.CallIdentity;
import dev.voicebus.worker.output.Records;
import dev.voicebus.worker.state.CallState;
import dev.voicebus.worker.state.CallStates;
import dev.voicebus.worker.state.StateChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the parts of one call share while its coordinator handles an input: the call's facts and
 * settings, the clock, the call's durable state (the only copy, changed through {@link #change}),
 * the session link, and the effects decided so far. Confined to the coordinator's caller.
 */
final class CallScope {

  final CallContext call;
  final CallIdentity who;
  final CallSettings settings;

  /** This call's redaction of everything durable: transcripts, tool arguments, events, keys. */
  final CallRedactor redaction;

  final WorkerMetrics metrics;

  /** The call's spans: the call, its turns and its tool calls. */
  final CallTrace trace;

  private final Clock clock;
  private final SessionLink link;
  private volatile CallState state;
  private List<Effect> effects = new ArrayList<>();

  CallScope(
      CallContext call,
      CallSettings settings,
      CallState state,
      Clock clock,
      WorkerMetrics metrics,
      Tracing tracing) {
    this.call = call;
    this.trace = new CallTrace(tracing);
    this.who = call.identity();
    this.settings = settings;
    this.redaction = call.profile().redactor().newCall();
    this.state = state;
    this.clock = clock;
    this.metrics = metrics;
    this.link = new SessionLink(this);
  }

  SessionLink link() {
    return link;
  }

  /** The durable state as of the last change; safe to read from any thread. */
  CallState state() {
    return state;
  }

  Instant now() {
    return clock.instant();
  }

  String callId() {
    return call.callId();
  }

  String sessionId() {
    return state.getSessionId();
  }

  void emit(Effect effect) {
    effects.add(effect);
  }

  /** Applies {@code change} to the durable state and has the runtime persist it. */
  void change(StateChange change) {
    state = CallStates.apply(state, change);
    effects.add(new Effect.StateChanged(change));
  }

  /**
   * Sends {@code event} on the open session. With no session open, a response request is owed to
   * the next session (asked for after its replay, so the caller is not left in silence), and any
   * other event is left out: the replay carries the conversation it would have changed.
   */
  void send(ClientEvent event) {
    if (!link.send(event) && event instanceof ClientEvent.ResponseCreate) {
      if (!state.getResponseOwed()) {
        change(new StateChange.ResponseOwed(true));
      }
    }
  }

  void toCaller(AudioOut out) {
    effects.add(new Effect.ToCaller(out));
  }

  void publish(TranscriptEvent event) {
    effects.add(new Effect.PublishTranscript(event));
  }

  void publish(SessionEvent event) {
    effects.add(new Effect.PublishSessionEvent(event));
  }

  /** The profile's redactor (shared by its calls), for JSON and keypad input. */
  Redactor redactor() {
    return call.profile().redactor();
  }

  void error(ErrorSource source, String code, String message, boolean fatal) {
    publish(Records.error(who, sessionId(), source, code, redaction.redact(message), fatal, now()));
  }

  void startTimer(TimerKey key, Duration after) {
    effects.add(new Effect.StartTimer(key, after.isNegative() ? Duration.ZERO : after));
  }

  void cancelTimer(TimerKey key) {
    effects.add(new Effect.CancelTimer(key));
  }

  /** The effects decided since the last call, in order; the scope starts a new list. */
  List<Effect> drain() {
    List<Effect> decided = effects;
    effects = new ArrayList<>();
    return decided;
  }
}

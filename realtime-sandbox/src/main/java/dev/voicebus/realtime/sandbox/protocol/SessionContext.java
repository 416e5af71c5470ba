package dev.voicebus.realtime.sandbox.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.realtime.sandbox.fault.FaultPlan;
import dev.voicebus.realtime.sandbox.scenario.ScenarioCursor;

/**
 * State shared by the parts of one session (input audio, conversation operations, responses) and
 * the single path by which they emit server events, so every event is recorded and counted for
 * fault injection. Confined to the session's event loop.
 */
final class SessionContext {
  final SessionSettings settings;
  final Conversation conversation;
  final SessionRecord record;
  final EventSink sink;
  final ResponsePacing pacing;

  /** The phone leg of a SIP call's session; null for a WebSocket session. */
  final SipLeg sip;

  FaultPlan faults;
  ScenarioCursor cursor;
  ResponseRun activeResponse;
  long previousInputTokens;
  boolean closed;

  SessionContext(
      SessionSettings settings,
      Conversation conversation,
      SessionRecord record,
      EventSink sink,
      ResponsePacing pacing,
      SipLeg sip) {
    this.sip = sip;
    this.settings = settings;
    this.conversation = conversation;
    this.record = record;
    this.sink = sink;
    this.pacing = pacing;
  }

  /** Sends one server event unless the session has ended. */
  void emit(ObjectNode event) {
    if (closed) {
      return;
    }
    record.sentEvent(event.get("type").asText());
    sink.send(event);
    if (faults != null) {
      faults.afterServerEvent();
    }
  }

  /** Sends an {@code error} event naming the client event that caused it. */
  void error(ProtocolError err, String clientEventId) {
    record.error(err.code());
    emit(Events.error(err, clientEventId));
  }

  boolean responseActive() {
    return activeResponse != null;
  }
}

package dev.voicebus.analytics.assembly;

import dev.voicebus.analytics.config.DocumentLimits;
import dev.voicebus.avro.CallToolCall;
import dev.voicebus.avro.CallTurn;
import dev.voicebus.avro.Speaker;

/**
 * Keeps a call document within its {@link DocumentLimits}, so a call of any length fits one Kafka
 * record: texts are cut as they are set (elsewhere); here the oldest turns, tool calls, reconnects
 * and errors beyond their counts go, and then the oldest turns and tool calls until the estimated
 * size fits the byte budget. What a dropped turn contributed to talk time, turn counts and
 * interruptions is kept in the truncation totals, so the call's figures stay whole.
 */
final class DocumentBounds {

  /** Room for the fixed fields, identity, metadata and the record framing. */
  private static final int FIXED_BYTES = 4096;

  private static final int PER_ENTRY_BYTES = 64;

  private DocumentBounds() {}

  static void enforce(Draft d, DocumentLimits limits) {
    while (d.turns.size() > limits.maxTurns()) {
      dropOldestTurn(d);
    }
    while (d.tools.size() > limits.maxToolCalls()) {
      d.tools.remove(0);
      d.truncation.setDroppedToolCalls(d.truncation.getDroppedToolCalls() + 1);
    }
    while (d.reconnects.size() > limits.maxListEntries()) {
      d.reconnects.remove(0);
      d.truncation.setDroppedReconnects(d.truncation.getDroppedReconnects() + 1);
    }
    while (d.errors.size() > limits.maxListEntries()) {
      d.errors.remove(0);
      d.truncation.setDroppedErrors(d.truncation.getDroppedErrors() + 1);
    }
    while (estimatedBytes(d) > limits.maxDocumentBytes()
        && (d.turns.size() > 1 || d.tools.size() > 1)) {
      if (d.turns.size() >= d.tools.size()) {
        dropOldestTurn(d);
      } else {
        d.tools.remove(0);
        d.truncation.setDroppedToolCalls(d.truncation.getDroppedToolCalls() + 1);
      }
    }
  }

  private static void dropOldestTurn(Draft d) {
    CallTurn turn = d.turns.remove(0);
    var t = d.truncation;
    t.setDroppedTurns(t.getDroppedTurns() + 1);
    long talk = TurnMetrics.talkMs(turn);
    if (turn.getSpeaker() == Speaker.CALLER) {
      t.setDroppedCallerTurns(t.getDroppedCallerTurns() + (turn.getComplete() ? 1 : 0));
      t.setDroppedCallerTalkMs(t.getDroppedCallerTalkMs() + talk);
    } else {
      t.setDroppedAgentTurns(t.getDroppedAgentTurns() + (turn.getComplete() ? 1 : 0));
      t.setDroppedAgentTalkMs(t.getDroppedAgentTalkMs() + talk);
      t.setDroppedInterruptions(t.getDroppedInterruptions() + (turn.getInterrupted() ? 1 : 0));
    }
  }

  /** An upper estimate of the encoded document's size in bytes, without encoding it. */
  static int estimatedBytes(Draft d) {
    int bytes = FIXED_BYTES;
    for (var entry : d.callerMetadata.entrySet()) {
      bytes += Texts.utf8Bytes(entry.getKey()) + Texts.utf8Bytes(entry.getValue()) + 4;
    }
    for (CallTurn turn : d.turns) {
      bytes +=
          PER_ENTRY_BYTES
              + Texts.utf8Bytes(turn.getItemId())
              + Texts.utf8Bytes(turn.getText())
              + Texts.utf8Bytes(turn.getHeardText());
    }
    for (CallToolCall tool : d.tools) {
      bytes +=
          PER_ENTRY_BYTES
              + Texts.utf8Bytes(tool.getToolCallId())
              + Texts.utf8Bytes(tool.getName())
              + Texts.utf8Bytes(tool.getArgumentsJson())
              + Texts.utf8Bytes(tool.getOutputJson())
              + Texts.utf8Bytes(tool.getActionTarget());
    }
    for (var reconnect : d.reconnects) {
      bytes += PER_ENTRY_BYTES + Texts.utf8Bytes(reconnect.getReason());
    }
    for (var error : d.errors) {
      bytes += PER_ENTRY_BYTES + Texts.utf8Bytes(error.getMessage());
    }
    for (String id : d.sessionIds) {
      bytes += 4 + Texts.utf8Bytes(id);
    }
    return bytes;
  }
}

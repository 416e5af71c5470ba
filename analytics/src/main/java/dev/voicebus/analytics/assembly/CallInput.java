package dev.voicebus.analytics.assembly;

import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.TranscriptEvent;
import java.time.Instant;

/**
 * One record of a call, from any of the five topics the analytics service reads, as the call
 * assembler sees it. {@link #at()} is the event time the record itself carries.
 */
public sealed interface CallInput {

  Instant at();

  /** A CallStarted or CallEnded from {@code call.control}. */
  record Control(CallControl record) implements CallInput {
    @Override
    public Instant at() {
      Object event = record.getEvent();
      if (event instanceof dev.voicebus.avro.CallStarted started) {
        return started.getStartedAt();
      }
      if (event instanceof dev.voicebus.avro.CallEnded ended) {
        return ended.getEndedAt();
      }
      if (event instanceof dev.voicebus.avro.Dtmf dtmf) {
        return dtmf.getReceivedAt();
      }
      if (event instanceof dev.voicebus.avro.PlaybackMark mark) {
        return mark.getAckedAt();
      }
      return Instant.EPOCH;
    }
  }

  /**
   * A transcript delta or final. {@code generatedSoFar} is the agent text the deltas of this item
   * carried before this record (kept by the processor, not in the document), or null.
   */
  record Transcript(TranscriptEvent record, String generatedSoFar) implements CallInput {
    @Override
    public Instant at() {
      return record.getAt();
    }
  }

  /** A tool call from {@code tool.calls}. */
  record ToolRequested(ToolCall record) implements CallInput {
    @Override
    public Instant at() {
      return record.getRequestedAt();
    }
  }

  /** A tool result from {@code tool.results}. */
  record ToolAnswered(ToolResult record) implements CallInput {
    @Override
    public Instant at() {
      return record.getCompletedAt();
    }
  }

  /** A session event from {@code session.events}. */
  record Session(SessionEvent record) implements CallInput {
    @Override
    public Instant at() {
      return record.getAt();
    }
  }
}

package dev.voicebus.worker.output;

import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.TranscriptEvent;
import java.util.Optional;

/**
 * Where a worker's records go: transcripts, tool calls and session events to their topics, and
 * agent audio, clears and hang-ups to the reply partition of the caller's ingest node, and the end
 * of a SIP call (which no ingest node holds) to call.control. Every method returns at once without
 * blocking, so event loops and the stream thread may call it.
 */
public interface CallOutput {

  void transcript(TranscriptEvent event);

  /** A tool call; {@code traceparent} names its span for the tool executor's (if traced). */
  void toolCall(ToolCall call, Optional<String> traceparent);

  void sessionEvent(SessionEvent event);

  void audioOut(String replyTopic, int replyPartition, String callId, AudioOut out);

  /** The end of a SIP call, on call.control keyed by its call id. */
  void callEnded(CallEnded ended);
}

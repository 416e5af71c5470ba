package dev.voicebus.worker.topology;

import dev.voicebus.avro.PlaybackMark;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.worker.session.CallContext;
import dev.voicebus.worker.state.CallState;
import java.time.Instant;
import java.util.Optional;

/**
 * Opens the live side of a call (its Realtime session) for the {@link CallProcessor}. The worker's
 * implementation runs a call coordinator over real sockets; tests of the processor give it a fake,
 * so the topology is tested with {@code TopologyTestDriver} and no sockets.
 */
public interface LiveCalls {

  /**
   * Opens a live call. {@code resumeReason} is set when a call already in progress moves to this
   * worker; {@code stateChanged} is run (on any thread) whenever the call's durable state changes.
   */
  Call open(
      CallContext context, CallState state, Optional<String> resumeReason, Runnable stateChanged);

  /** One live call, fed by the stream thread. */
  interface Call {

    /** The caller's next audio chunk, in seq order; {@code producedAt} is its Kafka timestamp. */
    void audio(byte[] payload, Instant producedAt);

    /** A tool's result; {@code traceparent} is its record's trace header (null if none). */
    void toolResult(ToolResult result, String traceparent);

    void playbackMark(PlaybackMark mark);

    /** The caller pressed {@code digit} (0-9, *, #, A-D). */
    void keypad(String digit);

    /** The call ended; returns once the session is closed and the call's totals published. */
    void end(String reason);

    /** This worker gives the call up; returns once its session is closed and its state final. */
    void handOver();

    /** The call's durable state as of now. */
    CallState state();
  }
}

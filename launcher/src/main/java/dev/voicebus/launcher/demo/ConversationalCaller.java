package dev.voicebus.launcher.demo;

import dev.voicebus.simulator.ReceivedFrame;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatedCall.Pacing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Plays a caller's utterances into a simulated Twilio call the way a person would: say one thing,
 * keep the line open (silence, as Twilio streams it) until the agent has answered and finished
 * speaking, then say the next. Measures, per turn, the time from the end of the caller's speech to
 * the first agent audio at the phone.
 */
public final class ConversationalCaller {

  private static final byte[] SILENCE_100MS = silence(800);
  private static final Duration AGENT_DONE_AFTER = Duration.ofMillis(1200);

  private final SimulatedCall call;
  private final Duration maxWaitPerTurn;
  private final Consumer<String> progress;

  public ConversationalCaller(
      SimulatedCall call, Duration maxWaitPerTurn, Consumer<String> progress) {
    this.call = call;
    this.maxWaitPerTurn = maxWaitPerTurn;
    this.progress = progress;
  }

  /** Says each utterance and waits for the agent; returns the response latencies in ms. */
  public List<Long> converse(List<byte[]> utterances) {
    List<Long> latencies = new ArrayList<>();
    for (byte[] utterance : utterances) {
      if (call.closed().isDone()) {
        break;
      }
      call.streamAudio(utterance, Pacing.REAL_TIME).join();
      long speechEnd = System.nanoTime();
      int before = call.receivedFrames().size();
      long firstAgentFrame = awaitAgentTurn(before, speechEnd);
      if (firstAgentFrame > 0) {
        latencies.add((firstAgentFrame - speechEnd) / 1_000_000);
      } else {
        progress.accept("(no answer from the agent within " + maxWaitPerTurn.toSeconds() + " s)");
      }
    }
    return latencies;
  }

  private long awaitAgentTurn(int framesBefore, long speechEnd) {
    long deadline = speechEnd + maxWaitPerTurn.toNanos();
    while (System.nanoTime() < deadline && !call.closed().isDone()) {
      call.streamAudio(SILENCE_100MS, Pacing.REAL_TIME).join();
      List<ReceivedFrame> frames = call.receivedFrames();
      if (frames.size() > framesBefore) {
        long last = frames.get(frames.size() - 1).arrivedNanos();
        if (System.nanoTime() - last > AGENT_DONE_AFTER.toNanos()) {
          return frames.get(framesBefore).arrivedNanos();
        }
      }
    }
    List<ReceivedFrame> frames = call.receivedFrames();
    return frames.size() > framesBefore ? frames.get(framesBefore).arrivedNanos() : -1;
  }

  private static byte[] silence(int length) {
    byte[] bytes = new byte[length];
    java.util.Arrays.fill(bytes, (byte) 0xFF);
    return bytes;
  }
}

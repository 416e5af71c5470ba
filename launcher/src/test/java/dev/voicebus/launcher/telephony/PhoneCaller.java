package dev.voicebus.launcher.telephony;

import dev.voicebus.realtime.sandbox.audio.MarkedAudio;
import dev.voicebus.simulator.ReceivedFrame;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatedCall.Pacing;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;

/**
 * A person on a simulated Twilio call: speaks (speech-like audio the sandbox's VAD hears), keys
 * digits, and keeps the line open with silence, in real time, as Twilio streams it while the agent
 * talks.
 */
public final class PhoneCaller {

  private static final Duration AGENT_DONE_AFTER = Duration.ofMillis(1200);

  private final SimulatedCall call;
  private long nextFrame;

  public PhoneCaller(SimulatedCall call) {
    this.call = call;
  }

  public SimulatedCall call() {
    return call;
  }

  /** Speaks for {@code speechMs}, then 800 ms of silence, so the sandbox ends the turn. */
  public void say(int speechMs) {
    stream(speechMs, 800);
  }

  /** Keeps the line open with {@code ms} of silence. */
  public void silence(int ms) {
    stream(0, ms);
  }

  private void stream(int speechMs, int silenceMs) {
    var audio = new ByteArrayOutputStream();
    for (int ms = 0; ms < speechMs + silenceMs; ms += 20) {
      audio.writeBytes(MarkedAudio.frame(nextFrame++, ms < speechMs));
    }
    if (!call.closed().isDone()) {
      call.streamAudio(audio.toByteArray(), Pacing.REAL_TIME).join();
    }
  }

  /** Presses {@code keys} on the keypad, 150 ms apart, the line open in between. */
  public void keys(String keys) {
    for (char key : keys.toCharArray()) {
      call.sendDtmf(String.valueOf(key));
      silence(140);
    }
  }

  /**
   * Keeps the line open until the agent has spoken and then been quiet for 1.2 s (or the call
   * ended, or {@code atMost} passed); returns the number of agent frames heard before it spoke.
   */
  public int awaitAgentTurn(Duration atMost) {
    int before = call.receivedFrames().size();
    long deadline = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() < deadline && !call.closed().isDone()) {
      silence(200);
      List<ReceivedFrame> frames = call.receivedFrames();
      if (frames.size() > before
          && System.nanoTime() - frames.get(frames.size() - 1).arrivedNanos()
              > AGENT_DONE_AFTER.toNanos()) {
        break;
      }
    }
    return before;
  }

  /** Keeps the line open until the call ends (or {@code atMost} passes). */
  public void listenUntilClosed(Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() < deadline && !call.closed().isDone()) {
      silence(200);
    }
  }
}

package dev.voicebus.launcher.load;

import dev.voicebus.simulator.SimulatedCall;
import java.util.zip.CRC32;

/**
 * One simulated caller of a load run: its connection, the frames it has sent and a running checksum
 * of them. Sending happens on the run's single pacing thread only.
 */
final class LoadCaller {

  private final int startFrame;
  private final SimulatedCall call;
  private final CRC32 crc = new CRC32();
  private long seq;
  private long bytesSent;

  LoadCaller(SimulatedCall call, int startFrame) {
    this.call = call;
    this.startFrame = startFrame;
  }

  SimulatedCall call() {
    return call;
  }

  boolean live() {
    return !call.closed().isDone();
  }

  /** Sends the next 20 ms frame of the script, if the call is still up. */
  void sendNext(CallerScript script) {
    if (!live()) {
      return;
    }
    byte[] frame = script.frame(startFrame, seq++);
    crc.update(frame, 0, frame.length);
    bytesSent += frame.length;
    call.sendMedia(frame);
  }

  long framesSent() {
    return seq;
  }

  long bytesSent() {
    return bytesSent;
  }

  long checksum() {
    return crc.getValue();
  }
}

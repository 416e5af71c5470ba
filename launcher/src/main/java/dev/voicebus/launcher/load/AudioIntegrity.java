package dev.voicebus.launcher.load;

import dev.voicebus.realtime.sandbox.protocol.SessionRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inbound audio integrity: what the callers sent against what the Realtime sessions received. Calls
 * whose byte count and CRC32 match a session exactly are intact; the rest are counted, with the net
 * frames lost or duplicated over all calls.
 *
 * @param framesSent 20 ms frames the callers sent
 * @param framesReceived 20 ms frames (bytes / 160) the Realtime sessions received
 * @param framesLost net frames missing ({@code sent - received}, if positive)
 * @param framesDuplicated net frames in excess ({@code received - sent}, if positive)
 * @param callsIntact calls whose audio arrived byte for byte, in order
 * @param callsReordered calls with the right byte count but a different checksum (reordered)
 * @param callsAltered calls with frames missing or extra
 */
public record AudioIntegrity(
    long framesSent,
    long framesReceived,
    long framesLost,
    long framesDuplicated,
    int callsIntact,
    int callsReordered,
    int callsAltered) {

  private record Key(long bytes, long crc) {}

  /** Compares each caller's {@code (bytes, crc)} with the sessions'. */
  static AudioIntegrity compare(List<LoadCaller> callers, List<SessionRecord> sessions) {
    Map<Key, Integer> received = new HashMap<>();
    Map<Long, Integer> sizes = new HashMap<>();
    long receivedBytes = 0;
    for (SessionRecord s : sessions) {
      received.merge(new Key(s.audioBytesReceived(), s.audioChecksum()), 1, Integer::sum);
      receivedBytes += s.audioBytesReceived();
    }
    long sentBytes = 0;
    int intact = 0;
    List<LoadCaller> unmatched = new java.util.ArrayList<>();
    for (LoadCaller c : callers) {
      sentBytes += c.bytesSent();
      Key key = new Key(c.bytesSent(), c.checksum());
      if (received.getOrDefault(key, 0) > 0) {
        received.merge(key, -1, Integer::sum);
        intact++;
      } else {
        unmatched.add(c);
      }
    }
    received.forEach((k, n) -> sizes.merge(k.bytes(), n, Integer::sum));
    int reordered = 0;
    for (LoadCaller c : unmatched) {
      if (sizes.getOrDefault(c.bytesSent(), 0) > 0) {
        sizes.merge(c.bytesSent(), -1, Integer::sum);
        reordered++;
      }
    }
    long sent = sentBytes / CallerScript.FRAME;
    long got = receivedBytes / CallerScript.FRAME;
    return new AudioIntegrity(
        sent,
        got,
        Math.max(0, sent - got),
        Math.max(0, got - sent),
        intact,
        reordered,
        unmatched.size() - reordered);
  }
}

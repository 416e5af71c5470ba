package dev.voicebus.worker.topology;

import dev.voicebus.avro.AudioFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Audio frames that arrived before their call's CallStarted. The two come from different topics of
 * the same task, so Streams may hand over the first frames first; they are held here (bounded per
 * call and in age) and released in arrival order once the call starts. Stream-thread confined.
 */
final class EarlyFrames {

  record Held(AudioFrame frame, long producedAtMs) {}

  private final int maxFramesPerCall;
  private final long maxAgeMs;
  private final Map<String, List<Held>> byCall = new HashMap<>();
  private final Map<String, Long> firstSeenMs = new HashMap<>();

  EarlyFrames(int maxFramesPerCall, long maxAgeMs) {
    this.maxFramesPerCall = maxFramesPerCall;
    this.maxAgeMs = maxAgeMs;
  }

  /** Holds {@code frame}; false if the call already holds as many frames as allowed. */
  boolean hold(String callId, AudioFrame frame, long producedAtMs, long nowMs) {
    List<Held> held = byCall.computeIfAbsent(callId, id -> new ArrayList<>());
    firstSeenMs.putIfAbsent(callId, nowMs);
    if (held.size() >= maxFramesPerCall) {
      return false;
    }
    held.add(new Held(frame, producedAtMs));
    return true;
  }

  /** The frames held for {@code callId}, removed. */
  List<Held> release(String callId) {
    firstSeenMs.remove(callId);
    List<Held> held = byCall.remove(callId);
    return held == null ? List.of() : held;
  }

  /** Drops frames of calls that never started; returns how many frames were dropped. */
  int expire(long nowMs) {
    int dropped = 0;
    for (Iterator<Map.Entry<String, Long>> it = firstSeenMs.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (nowMs - entry.getValue() > maxAgeMs) {
        dropped += byCall.remove(entry.getKey()).size();
        it.remove();
      }
    }
    return dropped;
  }
}

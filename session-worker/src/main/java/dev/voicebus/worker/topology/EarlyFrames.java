package dev.voicebus.worker.topology;

import dev.voicebus.avro.AudioFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Audio frames of calls the processor does not know (yet). Frames and their CallStarted come from
 * different topics of the same task, so Streams may hand over the first frames first; they are held
 * here and released in arrival order once the call starts. Frames of calls that never start (or
 * ended already) are dropped when they are older than {@code maxAgeMs}. Bounded per call, in the
 * number of calls held, and in age. Stream-thread confined.
 */
final class EarlyFrames {

  record Held(AudioFrame frame, long producedAtMs) {}

  private final int maxFramesPerCall;
  private final int maxCalls;
  private final long maxAgeMs;
  private final Map<String, List<Held>> byCall = new HashMap<>();
  private final Map<String, Long> firstSeenMs = new HashMap<>();

  EarlyFrames(int maxFramesPerCall, int maxCalls, long maxAgeMs) {
    this.maxFramesPerCall = maxFramesPerCall;
    this.maxCalls = maxCalls;
    this.maxAgeMs = maxAgeMs;
  }

  /** Holds {@code frame}; false (not held) if its call or the whole buffer is at its limit. */
  boolean hold(String callId, AudioFrame frame, long producedAtMs, long nowMs) {
    List<Held> held = byCall.get(callId);
    if (held == null) {
      if (byCall.size() >= maxCalls) {
        return false;
      }
      held = new ArrayList<>();
      byCall.put(callId, held);
      firstSeenMs.put(callId, nowMs);
    }
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

  /** Drops the frames of calls first seen more than the maximum age ago; returns how many. */
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

  /** How many calls have frames held. */
  int calls() {
    return byCall.size();
  }
}

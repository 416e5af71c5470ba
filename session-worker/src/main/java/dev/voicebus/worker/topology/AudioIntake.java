package dev.voicebus.worker.topology;

import dev.voicebus.avro.AudioFrame;
import dev.voicebus.worker.metrics.WorkerMetrics;
import dev.voicebus.worker.output.CallIdentity;
import dev.voicebus.worker.output.CallOutput;
import dev.voicebus.worker.output.Records;
import dev.voicebus.worker.state.CallState;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's audio on its way into a live call, in seq order: duplicates (a producer retry, a
 * replay after failover) are dropped, gaps are reported on session.events, and the last seq is kept
 * in a changelogged store so a new owner goes on where the old one stopped. Frames of a call the
 * processor does not know yet wait in {@link EarlyFrames}. Stream-thread confined.
 */
final class AudioIntake {

  private static final Logger log = LoggerFactory.getLogger(AudioIntake.class);

  private final KeyValueStore<String, Long> seqs;
  private final WorkerMetrics metrics;
  private final CallOutput out;
  private final EarlyFrames early = new EarlyFrames(500, 1_000, 10_000);

  AudioIntake(KeyValueStore<String, Long> seqs, WorkerMetrics metrics, CallOutput out) {
    this.seqs = seqs;
    this.metrics = metrics;
    this.out = out;
  }

  /** A call started: audio from seq 0 is expected; returns the frames that came before it. */
  List<EarlyFrames.Held> started(String callId) {
    seqs.put(callId, -1L);
    return early.release(callId);
  }

  /** The call is gone (ended, refused): its seq is forgotten and its held frames dropped. */
  void forget(String callId) {
    seqs.delete(callId);
    metrics.framesUnknownCall(early.release(callId).size());
  }

  /** One frame for {@code call}, or for a call not live here ({@code call} null). */
  void accept(String callId, AudioFrame frame, long producedAtMs, LiveCalls.Call call, long nowMs) {
    metrics.frameIn();
    Long last = seqs.get(callId);
    if (last == null || call == null) {
      log.trace("[{}] frame seq {} with no live call (last {})", callId, frame.getSeq(), last);
      if (last != null || !early.hold(callId, frame, producedAtMs, nowMs)) {
        metrics.frameUnknownCall();
      }
      return;
    }
    long seq = frame.getSeq();
    if (seq <= last) {
      metrics.frameDuplicate();
      return;
    }
    if (seq > last + 1) {
      metrics.audioGap();
      out.sessionEvent(
          Records.audioGap(identity(call.state()), last + 1, seq, Instant.ofEpochMilli(nowMs)));
    }
    seqs.put(callId, seq);
    byte[] payload = new byte[frame.getPayload().remaining()];
    frame.getPayload().duplicate().get(payload);
    call.audio(payload, Instant.ofEpochMilli(producedAtMs));
  }

  /** Drops frames held too long for calls that never started or had ended. */
  void expire(long nowMs) {
    int dropped = early.expire(nowMs);
    if (dropped > 0) {
      metrics.framesUnknownCall(dropped);
      log.warn("Dropped {} audio frames of calls that never started or had ended", dropped);
    }
  }

  static CallIdentity identity(CallState state) {
    return new CallIdentity(
        state.getCallId(), state.getTenantId(), state.getProfileId(), state.getExternalCallId());
  }
}

package dev.voicebus.recorder.loop;

import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.ClearPlayback;
import dev.voicebus.avro.PlaybackMark;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.recorder.call.CallEnd;
import dev.voicebus.recorder.call.CallInfo;
import dev.voicebus.recorder.call.CallRecording;
import dev.voicebus.recorder.call.FinishReason;
import dev.voicebus.recorder.config.RecorderConfig;
import dev.voicebus.recorder.storage.RecordingKey;
import dev.voicebus.schemas.log.CallMdc;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls one consumer loop is recording, by call id, and what each record does to them. Records
 * of a call that arrive before its {@code CallStarted} (the topics are read independently) wait in
 * memory, a bounded number of them; then the call is recorded, skipped (its profile is not
 * recorded), or, for SIP calls, announced as the carrier's. A call is finalised when its end has
 * arrived and the caller's frames and the agent's audio.out partition have been read up to it, when
 * it reaches the maximum length, or when nothing arrived for it for the idle timeout. It keeps the
 * offsets of its first records, so the loop never commits past a call that is not stored yet: after
 * a crash or a rebalance the next owner reads the call again from its start. Confined to the loop's
 * thread, except the completion queue the finaliser adds to.
 */
final class CallTable {

  private static final Logger log = LoggerFactory.getLogger(CallTable.class);
  private static final int MAX_EARLY_RECORDS = 1000;
  private static final int FINISHED_REMEMBERED = 10_000;
  private static final Duration END_WAIT = Duration.ofSeconds(10);

  /** The group topics whose offsets a call holds. */
  enum Source {
    CONTROL,
    AUDIO_IN,
    TOOL_RESULTS
  }

  /** How far the loop has read, for deciding that a call's records are all in. */
  interface Progress {
    /** Whether audio.in's partition {@code partition} is read to its end. */
    boolean callerCaughtUp(int partition);

    /** Whether audio.out's partition {@code partition} is read past {@code at} or to its end. */
    boolean replyPassed(int partition, Instant at);
  }

  private enum State {
    EARLY,
    RECORDING,
    CARRIER,
    SKIPPED,
    FINALISING
  }

  @FunctionalInterface
  private interface Early {
    void apply(CallRecording recording) throws IOException;
  }

  private static final class Slot {
    final String callId;
    final int partition;
    final long[] firstOffsets = {-1, -1, -1};
    final List<Early> early = new ArrayList<>();
    State state = State.EARLY;
    CallInfo info;
    CallRecording recording;
    CallEnd end;
    long firstTimestamp = Long.MAX_VALUE;
    long lastActivity;
    long endSeenAt;

    Slot(String callId, int partition) {
      this.callId = callId;
      this.partition = partition;
    }

    boolean holdsOffsets() {
      return state != State.SKIPPED;
    }
  }

  private final RecorderConfig config;
  private final Finaliser finaliser;
  private final RecorderMetrics metrics;
  private final LongSupplier nanos;
  private final Map<String, Slot> slots = new HashMap<>();
  private final Queue<String> completions = new ConcurrentLinkedQueue<>();
  private final Map<String, Boolean> finished =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > FINISHED_REMEMBERED;
        }
      };

  CallTable(
      RecorderConfig config, Finaliser finaliser, RecorderMetrics metrics, LongSupplier nanos) {
    this.config = config;
    this.finaliser = finaliser;
    this.metrics = metrics;
    this.nanos = nanos;
  }

  /** A call.control record of call {@code callId}. */
  void onControl(String callId, int partition, long offset, long timestamp, CallControl control) {
    Object event = control.getEvent();
    Slot slot = slot(callId, partition, Source.CONTROL, offset, timestamp);
    if (slot == null) {
      return;
    }
    if (event instanceof CallStarted started) {
      start(slot, started);
    } else if (event instanceof CallEnded ended) {
      slot.end = CallEnd.of(ended);
      slot.endSeenAt = nanos.getAsLong();
      apply(slot, r -> r.onEnded(CallEnd.of(ended)));
    } else if (event instanceof PlaybackMark mark) {
      apply(slot, r -> r.onMark(mark));
    }
  }

  void onFrame(String callId, int partition, long offset, long timestamp, AudioFrame frame) {
    Slot slot = slot(callId, partition, Source.AUDIO_IN, offset, timestamp);
    if (slot != null) {
      apply(slot, r -> r.onFrame(frame));
    }
  }

  void onToolResult(String callId, int partition, long offset, long timestamp, ToolResult result) {
    Slot slot = slot(callId, partition, Source.TOOL_RESULTS, offset, timestamp);
    if (slot != null) {
      apply(slot, r -> r.onToolResult(result));
    }
  }

  /** An audio.out record of a call whose call partition is {@code partition}. */
  void onAgent(String callId, int partition, long timestamp, AudioOut out) {
    Object event = out.getEvent();
    if (!(event instanceof AgentAudio) && !(event instanceof ClearPlayback)) {
      return;
    }
    Slot slot = slot(callId, partition, null, -1, timestamp);
    if (slot == null) {
      return;
    }
    Instant sentAt = Instant.ofEpochMilli(timestamp);
    if (event instanceof AgentAudio audio) {
      apply(slot, r -> r.onAgentAudio(audio, sentAt));
    } else {
      apply(slot, r -> r.onClear((ClearPlayback) event));
    }
  }

  /** The slot for a record, or null when the call is already finished here. */
  private Slot slot(String callId, int partition, Source source, long offset, long timestamp) {
    if (finished.containsKey(callId)) {
      return null;
    }
    Slot slot = slots.computeIfAbsent(callId, id -> new Slot(id, partition));
    if (source != null && slot.firstOffsets[source.ordinal()] < 0) {
      slot.firstOffsets[source.ordinal()] = offset;
    }
    slot.firstTimestamp = Math.min(slot.firstTimestamp, timestamp);
    slot.lastActivity = nanos.getAsLong();
    return slot;
  }

  private void start(Slot slot, CallStarted started) {
    if (slot.state != State.EARLY) {
      return; // read again after a rebalance
    }
    CallInfo info = CallInfo.of(started);
    slot.info = info;
    try (var mdc = CallMdc.open(info.callId(), info.tenantId())) {
      if (!config.policy().records(info.agentProfile())) {
        log.info(
            "Not recording call {}: profile {} is not recorded",
            info.callId(),
            info.agentProfile());
        skip(slot, "skipped");
        return;
      }
      if (info.carrierRecords()) {
        log.info("Call {} is a SIP call: the carrier records it", info.callId());
        slot.state = State.CARRIER;
        slot.early.clear();
        return;
      }
      Path directory = config.workDir().resolve("calls").resolve(RecordingKey.safe(info.callId()));
      try {
        slot.recording = CallRecording.start(info, directory, limits(info));
      } catch (IOException e) {
        log.error(
            "Cannot record call {}: its working files could not be created", info.callId(), e);
        skip(slot, "dropped");
        return;
      }
      slot.state = State.RECORDING;
      metrics.activeCalls().incrementAndGet();
      log.info("Recording call {} (profile {})", info.callId(), info.agentProfile());
      List<Early> early = new ArrayList<>(slot.early);
      slot.early.clear();
      for (Early action : early) {
        apply(slot, action);
      }
    }
  }

  private CallRecording.Limits limits(CallInfo info) {
    var format = info.format();
    RecorderConfig.Limits limits = config.limits();
    return new CallRecording.Limits(
        format.samplesOf(limits.maxCallDuration().toMillis()),
        format.samplesOf(60),
        format.samplesOf(limits.pauseHold().toMillis()));
  }

  private void apply(Slot slot, Early action) {
    switch (slot.state) {
      case EARLY -> {
        if (slot.early.size() < MAX_EARLY_RECORDS) {
          slot.early.add(action);
        } else if (slot.early.size() == MAX_EARLY_RECORDS) {
          log.warn(
              "Call {}: {} records arrived without its CallStarted; not recording it",
              slot.callId,
              MAX_EARLY_RECORDS);
          skip(slot, "dropped");
        }
      }
      case RECORDING -> {
        try {
          action.apply(slot.recording);
        } catch (IOException e) {
          log.error("Call {}: writing its recording failed; the recording is lost", slot.callId, e);
          discard(slot);
          skip(slot, "dropped");
        }
      }
      default -> {}
    }
  }

  /** The call is not (or no longer) recorded; its later records are ignored. */
  private void skip(Slot slot, String outcome) {
    slot.state = State.SKIPPED;
    slot.early.clear();
    metrics.recording(outcome);
  }

  private void discard(Slot slot) {
    if (slot.recording != null) {
      metrics.activeCalls().decrementAndGet();
      try {
        slot.recording.close();
      } catch (IOException e) {
        log.warn("Could not delete the working files of call {}", slot.callId, e);
      }
      slot.recording = null;
    }
  }

  /** Finalises the calls that are complete, idle or at their maximum; forgets finished ones. */
  void tick(Progress progress) {
    drainCompletions();
    long now = nanos.getAsLong();
    long idle = config.limits().idleTimeout().toNanos();
    Iterator<Slot> it = slots.values().iterator();
    while (it.hasNext()) {
      Slot slot = it.next();
      boolean isIdle = now - slot.lastActivity > idle;
      switch (slot.state) {
        case EARLY -> {
          if (isIdle) {
            log.warn(
                "Call {}: {} records but no CallStarted within {}; not recorded",
                slot.callId,
                slot.early.size(),
                config.limits().idleTimeout());
            metrics.recording("dropped");
            it.remove();
          }
        }
        case RECORDING -> tickRecording(slot, progress, now, isIdle);
        case CARRIER -> tickCarrier(slot, now);
        case SKIPPED -> {
          if (slot.end != null || isIdle) {
            it.remove();
            finished.put(slot.callId, Boolean.TRUE);
          }
        }
        case FINALISING -> {}
      }
    }
  }

  private void tickRecording(Slot slot, Progress progress, long now, boolean isIdle) {
    CallRecording recording = slot.recording;
    if (recording.reachedMax()) {
      finalise(slot, FinishReason.MAX_DURATION);
    } else if (slot.end != null) {
      boolean callerIn =
          recording.lastCallerSeq() >= slot.end.lastSeq()
              || progress.callerCaughtUp(slot.partition);
      int reply = slot.info.replyPartition();
      boolean agentIn = reply < 0 || progress.replyPassed(reply, slot.end.endedAt());
      if ((callerIn && agentIn) || now - slot.endSeenAt > END_WAIT.toNanos()) {
        finalise(slot, FinishReason.CALL_ENDED);
      }
    } else if (isIdle) {
      log.warn(
          "Call {}: nothing arrived for {} and its CallEnded never came; finalising",
          slot.callId,
          config.limits().idleTimeout());
      finalise(slot, FinishReason.IDLE_TIMEOUT);
    }
  }

  private void tickCarrier(Slot slot, long now) {
    long maxNanos = config.limits().maxCallDuration().toNanos();
    if (slot.end == null && now - slot.lastActivity <= maxNanos) {
      return;
    }
    Instant ended =
        slot.end != null
            ? slot.end.endedAt()
            : slot.info.startedAt().plusNanos(now - slot.lastActivity);
    long durationMs = Math.max(0, Duration.between(slot.info.startedAt(), ended).toMillis());
    slot.state = State.FINALISING;
    finaliser.carrier(slot.info, durationMs, completions::add);
  }

  private void finalise(Slot slot, FinishReason reason) {
    slot.state = State.FINALISING;
    metrics.activeCalls().decrementAndGet();
    CallRecording recording = slot.recording;
    slot.recording = null;
    finaliser.finish(recording, reason, completions::add);
  }

  private void drainCompletions() {
    String callId;
    while ((callId = completions.poll()) != null) {
      Slot slot = slots.get(callId);
      if (slot != null && slot.state == State.FINALISING) {
        slots.remove(callId);
        finished.put(callId, Boolean.TRUE);
      }
    }
  }

  /**
   * The offset below which {@code source}'s partition must not be committed, if a call holds one.
   */
  OptionalLong holdOffset(Source source, int partition) {
    return slots.values().stream()
        .filter(s -> s.partition == partition && s.holdsOffsets())
        .mapToLong(s -> s.firstOffsets[source.ordinal()])
        .filter(o -> o >= 0)
        .min();
  }

  /** When the oldest call held on {@code partition} started (where to re-read audio.out from). */
  Optional<Instant> holdTime(int partition) {
    return slots.values().stream()
        .filter(s -> s.partition == partition && s.holdsOffsets())
        .map(s -> s.info != null ? s.info.startedAt() : Instant.ofEpochMilli(s.firstTimestamp))
        .min(Instant::compareTo);
  }

  /** Forgets the calls of partitions that moved to another recorder (it records them again). */
  void dropPartitions(Set<Integer> partitions) {
    Iterator<Slot> it = slots.values().iterator();
    while (it.hasNext()) {
      Slot slot = it.next();
      if (partitions.contains(slot.partition)) {
        if (slot.state == State.RECORDING) {
          discard(slot);
        }
        it.remove();
      }
    }
  }

  /** Forgets every call (the loop is stopping); their working files are deleted. */
  void dropAll() {
    Set<Integer> all = new java.util.HashSet<>();
    slots.values().forEach(s -> all.add(s.partition));
    dropPartitions(all);
  }

  int size() {
    return slots.size();
  }
}

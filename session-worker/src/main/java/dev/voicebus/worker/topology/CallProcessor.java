package dev.voicebus.worker.topology;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.Dtmf;
import dev.voicebus.avro.ErrorSource;
import dev.voicebus.avro.PlaybackMark;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.observability.trace.TraceHeaders;
import dev.voicebus.schemas.dlq.PoisonRecordException;
import dev.voicebus.schemas.log.CallMdc;
import dev.voicebus.worker.config.AgentProfile;
import dev.voicebus.worker.config.ProfileCatalog;
import dev.voicebus.worker.metrics.WorkerMetrics;
import dev.voicebus.worker.output.CallIdentity;
import dev.voicebus.worker.output.CallOutput;
import dev.voicebus.worker.output.Records;
import dev.voicebus.worker.session.CallContext;
import dev.voicebus.worker.state.CallState;
import dev.voicebus.worker.state.CallStates;
import dev.voicebus.worker.state.CallStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's per-partition brain. For the calls of one stream task it keeps the durable call
 * state in a changelogged store, holds one live call per call in progress, and feeds it the call's
 * control events, audio (in seq order, duplicates dropped, gaps reported) and tool results. When
 * the task is assigned to this worker (start, failover, rebalance) every call still live in the
 * store is reopened with its conversation replayed; when the task leaves, calls are handed over. A
 * live call's state changes (made on its session's threads) are written to the store here, on the
 * stream thread, so the store has one writer; a call the worker ended itself leaves the store.
 */
final class CallProcessor implements Processor<String, Object, Void, Void> {

  private static final Logger log = LoggerFactory.getLogger(CallProcessor.class);
  static final String CALLS_STORE = "calls";
  static final String SEQ_STORE = "call-seq";
  static final Duration PERSIST_EVERY = Duration.ofMillis(50);
  static final Duration EXPIRE_EVERY = Duration.ofSeconds(1);

  private final LiveCalls liveCalls;
  private final ProfileCatalog profiles;
  private final CallOutput out;
  private final WorkerMetrics metrics;
  private final Map<String, LiveCalls.Call> live = new HashMap<>();
  private final Set<String> changed = ConcurrentHashMap.newKeySet();
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, CallState> calls;
  private AudioIntake audio;

  CallProcessor(
      LiveCalls liveCalls, ProfileCatalog profiles, CallOutput out, WorkerMetrics metrics) {
    this.liveCalls = liveCalls;
    this.profiles = profiles;
    this.out = out;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    calls = context.getStateStore(CALLS_STORE);
    audio = new AudioIntake(context.getStateStore(SEQ_STORE), metrics, out);
    context.schedule(PERSIST_EVERY, PunctuationType.WALL_CLOCK_TIME, ts -> persistChanged());
    context.schedule(EXPIRE_EVERY, PunctuationType.WALL_CLOCK_TIME, ts -> audio.expire(ts));
    resumeLiveCalls(context.taskId().toString());
  }

  /**
   * Handles one record. A record that cannot be handled (no key, a failure while handling it) is
   * reported on the call's session events and thrown on, so the processing exception handler
   * dead-letters it and the thread goes on with the next record.
   */
  @Override
  public void process(Record<String, Object> record) {
    String callId = record.key();
    if (callId == null) {
      throw PoisonRecordException.nullKey(sourceTopic());
    }
    if (record.value() == null) {
      throw PoisonRecordException.nullValue(sourceTopic());
    }
    try (CallMdc ignored = CallMdc.open(callId, null)) {
      if (record.value() instanceof AudioFrame frame) {
        audio.accept(callId, frame, record.timestamp(), live.get(callId), nowMs());
      } else if (record.value() instanceof CallControl control) {
        onControl(callId, control.getEvent(), record.headers());
      } else if (record.value() instanceof ToolResult result) {
        String traceparent = TraceHeaders.traceparent(record.headers()).orElse(null);
        Optional.ofNullable(live.get(callId))
            .ifPresent(call -> call.toolResult(result, traceparent));
      }
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      log.error("[{}] Failed to process {}", callId, record.value().getClass().getSimpleName(), e);
      out.sessionEvent(
          Records.error(
              CallIdentity.unknown(callId),
              null,
              ErrorSource.WORKER,
              "processing_failed",
              String.valueOf(e.getMessage()),
              false,
              now()));
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e.toString(), e);
    } finally {
      persistChanged();
    }
  }

  private void onControl(String callId, Object event, Headers headers) {
    if (event instanceof CallStarted started) {
      onStarted(started, TraceHeaders.traceparent(headers).orElse(null));
    } else if (event instanceof CallEnded ended) {
      onEnded(callId, ended);
    } else if (event instanceof PlaybackMark mark) {
      Optional.ofNullable(live.get(callId)).ifPresent(call -> call.playbackMark(mark));
    } else if (event instanceof Dtmf dtmf) {
      Optional.ofNullable(live.get(callId)).ifPresent(call -> call.keypad(dtmf.getDigit()));
    }
  }

  /** {@code traceparent} names ingest's span of the call (null when not traced). */
  private void onStarted(CallStarted started, String traceparent) {
    String callId = started.getCallId();
    if (calls.get(callId) != null) {
      log.debug("[{}] Duplicate CallStarted ignored", callId);
      return;
    }
    Optional<AgentProfile> profile = profiles.find(started.getAgentProfile());
    if (profile.isEmpty()) {
      rejectUnknownProfile(started);
      audio.forget(callId);
      return;
    }
    var state = CallStates.started(started, traceparent);
    calls.put(callId, state);
    var early = audio.started(callId);
    out.sessionEvent(
        Records.lifecycle(
            AudioIntake.identity(state),
            null,
            SessionPhase.OPENING,
            profile.get().model(),
            "profile " + profile.get().id(),
            now()));
    open(state, profile.get(), Optional.empty());
    log.info("[{}] Call started with profile {}", callId, profile.get().id());
    for (EarlyFrames.Held held : early) {
      audio.accept(callId, held.frame(), held.producedAtMs(), live.get(callId), nowMs());
    }
  }

  private void rejectUnknownProfile(CallStarted started) {
    String callId = started.getCallId();
    String message =
        "Unknown agent profile '"
            + started.getAgentProfile()
            + "'; this worker knows "
            + profiles.ids();
    log.warn("[{}] {}", callId, message);
    out.sessionEvent(
        Records.error(
            new CallIdentity(
                callId,
                started.getTenantId(),
                started.getAgentProfile(),
                started.getExternalCallId()),
            null,
            ErrorSource.PROFILE,
            "unknown_profile",
            message,
            true,
            now()));
    var route = started.getReplyRoute();
    out.audioOut(
        route.getTopic(),
        route.getPartition(),
        callId,
        Records.hangup(callId, "unknown_profile", now()));
  }

  private void onEnded(String callId, CallEnded ended) {
    persistChanged();
    LiveCalls.Call call = live.remove(callId);
    if (call != null) {
      call.end(ended.getReason().name().toLowerCase(Locale.ROOT));
    }
    calls.delete(callId);
    audio.forget(callId);
  }

  private void resumeLiveCalls(String taskId) {
    List<CallState> resumable = new ArrayList<>();
    try (var all = calls.all()) {
      all.forEachRemaining(kv -> resumable.add(kv.value));
    }
    for (CallState state : resumable) {
      if (state.getStatus() != CallStatus.LIVE) {
        continue;
      }
      var profile = profiles.find(state.getProfileId());
      if (profile.isEmpty()) {
        log.warn(
            "[{}] Not resuming: profile {} is not known here",
            state.getCallId(),
            state.getProfileId());
        continue;
      }
      open(state, profile.get(), Optional.of("worker failover"));
    }
    if (!live.isEmpty()) {
      log.info("Task {} resumed {} live calls", taskId, live.size());
    }
  }

  private void open(CallState state, AgentProfile profile, Optional<String> resumeReason) {
    String callId = state.getCallId();
    live.put(
        callId,
        liveCalls.open(context(state, profile), state, resumeReason, () -> changed.add(callId)));
  }

  /** Writes the state of every call that changed since the last write; drops calls that ended. */
  private void persistChanged() {
    for (String callId : changed) {
      changed.remove(callId);
      LiveCalls.Call call = live.get(callId);
      if (call != null) {
        persist(callId, call);
      }
    }
  }

  private void persist(String callId, LiveCalls.Call call) {
    CallState state = call.state();
    if (state.getStatus() == CallStatus.ENDED) {
      live.remove(callId);
      calls.delete(callId);
      audio.forget(callId);
    } else {
      calls.put(callId, state);
    }
  }

  /**
   * The task is moving to another worker (or this one is stopping): close every session, then write
   * each call's state as of that moment, so the commit that follows carries it to the new owner.
   */
  @Override
  public void close() {
    live.values().forEach(LiveCalls.Call::handOver);
    new HashMap<>(live).forEach(this::persist);
    live.clear();
    changed.clear();
  }

  private String sourceTopic() {
    return context.recordMetadata().map(m -> m.topic()).orElse("?");
  }

  private Instant now() {
    return Instant.ofEpochMilli(nowMs());
  }

  private long nowMs() {
    return context.currentSystemTimeMs();
  }

  private static CallContext context(CallState state, AgentProfile profile) {
    return new CallContext(
        state.getCallId(),
        state.getTenantId(),
        profile,
        AudioCodec.valueOf(state.getCodec()),
        state.getReplyTopic(),
        state.getReplyPartition(),
        Instant.ofEpochMilli(state.getStartedAtMs()),
        source(state.getSource()),
        state.getExternalCallId());
  }

  private static CallSource source(String name) {
    try {
      return CallSource.valueOf(name);
    } catch (IllegalArgumentException e) {
      return CallSource.UNKNOWN;
    }
  }
}

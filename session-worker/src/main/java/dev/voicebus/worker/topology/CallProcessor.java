package dev.voicebus.worker.topology;

import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.AudioGap;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.ErrorSource;
import dev.voicebus.avro.PlaybackMark;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.worker.config.AgentProfile;
import dev.voicebus.worker.config.ProfileCatalog;
import dev.voicebus.worker.output.Records;
import dev.voicebus.worker.session.CallContext;
import dev.voicebus.worker.session.LiveCall;
import dev.voicebus.worker.session.SessionRuntime;
import dev.voicebus.worker.state.CallState;
import dev.voicebus.worker.state.CallStatus;
import dev.voicebus.worker.state.UsageTotals;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's per-partition brain. For the calls of one stream task it keeps the durable call
 * state in a changelogged store, holds one {@link LiveCall} per live call, and feeds it the call's
 * control events, audio (in seq order, duplicates dropped, gaps reported) and tool results. When
 * the task is assigned to this worker (start, failover, rebalance) every call still live in the
 * store gets a new session with the conversation replayed; when the task leaves, sessions are
 * handed over. State changes that sessions make from their event loops are queued and applied here,
 * on the stream thread, so the store has one writer.
 */
final class CallProcessor implements Processor<String, Object, Void, Void> {

  private static final Logger log = LoggerFactory.getLogger(CallProcessor.class);
  static final String CALLS_STORE = "calls";
  static final String SEQ_STORE = "call-seq";

  private final SessionRuntime runtime;
  private final ProfileCatalog profiles;
  private final Map<String, LiveCall> live = new HashMap<>();
  private final ConcurrentLinkedQueue<Mutation> mutations = new ConcurrentLinkedQueue<>();
  private final EarlyFrames earlyFrames = new EarlyFrames(500, 10_000);
  private KeyValueStore<String, CallState> calls;
  private KeyValueStore<String, Long> seqs;

  private record Mutation(String callId, Consumer<CallState> change) {}

  CallProcessor(SessionRuntime runtime, ProfileCatalog profiles) {
    this.runtime = runtime;
    this.profiles = profiles;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    calls = context.getStateStore(CALLS_STORE);
    seqs = context.getStateStore(SEQ_STORE);
    context.schedule(
        Duration.ofMillis(50), PunctuationType.WALL_CLOCK_TIME, ts -> applyMutations());
    resumeLiveCalls(context.taskId().toString());
  }

  @Override
  public void process(Record<String, Object> record) {
    String callId = record.key();
    try {
      if (record.value() instanceof AudioFrame frame) {
        onAudio(callId, frame, record.timestamp());
      } else if (record.value() instanceof CallControl control) {
        onControl(callId, control.getEvent());
      } else if (record.value() instanceof ToolResult result) {
        Optional.ofNullable(live.get(callId)).ifPresent(call -> call.onToolResult(result));
      }
    } catch (RuntimeException e) {
      log.error("[{}] Failed to process {}", callId, record.value().getClass().getSimpleName(), e);
      runtime
          .out()
          .sessionEvent(
              Records.error(
                  callId,
                  null,
                  ErrorSource.WORKER,
                  "processing_failed",
                  String.valueOf(e.getMessage()),
                  false,
                  Instant.now()));
    }
    applyMutations();
  }

  private void onControl(String callId, Object event) {
    if (event instanceof CallStarted started) {
      onStarted(started);
    } else if (event instanceof CallEnded ended) {
      onEnded(callId, ended);
    } else if (event instanceof PlaybackMark mark) {
      Optional.ofNullable(live.get(callId)).ifPresent(call -> call.onPlaybackMark(mark));
    }
  }

  private void onStarted(CallStarted started) {
    String callId = started.getCallId();
    if (calls.get(callId) != null) {
      log.debug("[{}] Duplicate CallStarted ignored", callId);
      return;
    }
    Optional<AgentProfile> profile = profiles.find(started.getAgentProfile());
    if (profile.isEmpty()) {
      rejectUnknownProfile(started);
      runtime.metrics().framesUnknownCall(earlyFrames.release(callId).size());
      return;
    }
    var state = newState(started);
    calls.put(callId, state);
    seqs.put(callId, -1L);
    runtime
        .out()
        .sessionEvent(
            Records.lifecycle(
                callId,
                null,
                SessionPhase.OPENING,
                profile.get().model(),
                "profile " + profile.get().id(),
                Instant.now()));
    live.put(
        callId, LiveCall.open(context(state, profile.get()), runtime, state, null, sink(callId)));
    log.info("[{}] Call started with profile {}", callId, profile.get().id());
    for (EarlyFrames.Held held : earlyFrames.release(callId)) {
      onAudio(callId, held.frame(), held.producedAtMs());
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
    runtime
        .out()
        .sessionEvent(
            Records.error(
                callId,
                null,
                ErrorSource.PROFILE,
                "unknown_profile",
                message,
                true,
                Instant.now()));
    var route = started.getReplyRoute();
    runtime
        .out()
        .audioOut(
            route.getTopic(),
            route.getPartition(),
            callId,
            Records.hangup(callId, "unknown_profile", Instant.now()));
  }

  private void onEnded(String callId, CallEnded ended) {
    applyMutations();
    LiveCall call = live.remove(callId);
    CallState state = calls.get(callId);
    if (call != null && state != null) {
      call.end(ended.getReason().name().toLowerCase(java.util.Locale.ROOT), state);
    }
    calls.delete(callId);
    seqs.delete(callId);
  }

  private void onAudio(String callId, AudioFrame frame, long producedAtMs) {
    Long last = seqs.get(callId);
    LiveCall call = live.get(callId);
    if (last == null || call == null) {
      log.trace("[{}] frame seq {} with no live call (last {})", callId, frame.getSeq(), last);
      if (last != null
          || !earlyFrames.hold(callId, frame, producedAtMs, System.currentTimeMillis())) {
        runtime.metrics().frameUnknownCall();
      }
      return;
    }
    long seq = frame.getSeq();
    log.trace("[{}] frame seq {} (last {})", callId, seq, last);
    if (seq <= last) {
      runtime.metrics().frameDuplicate();
      return;
    }
    if (seq > last + 1) {
      runtime.metrics().audioGap();
      runtime
          .out()
          .sessionEvent(new SessionEvent(callId, null, Instant.now(), new AudioGap(last + 1, seq)));
    }
    seqs.put(callId, seq);
    byte[] payload = new byte[frame.getPayload().remaining()];
    frame.getPayload().duplicate().get(payload);
    call.appendAudio(payload, Duration.ofMillis(System.currentTimeMillis() - producedAtMs));
  }

  private void expireEarlyFrames(long nowMs) {
    int dropped = earlyFrames.expire(nowMs);
    runtime.metrics().framesUnknownCall(dropped);
    if (dropped > 0) {
      log.warn("Dropped {} audio frames of calls that never started", dropped);
    }
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
        continue;
      }
      live.put(
          state.getCallId(),
          LiveCall.open(
              context(state, profile.get()),
              runtime,
              state,
              "worker failover",
              sink(state.getCallId())));
    }
    if (!resumable.isEmpty()) {
      log.info("Task {} resumed {} live calls", taskId, live.size());
    }
  }

  private Consumer<Consumer<CallState>> sink(String callId) {
    return change -> mutations.add(new Mutation(callId, change));
  }

  private void applyMutations() {
    Mutation mutation;
    while ((mutation = mutations.poll()) != null) {
      CallState state = calls.get(mutation.callId());
      if (state == null) {
        continue;
      }
      try {
        mutation.change().accept(mutable(state));
        calls.put(mutation.callId(), state);
      } catch (RuntimeException e) {
        log.error("[{}] Could not apply a state change; the change is lost", mutation.callId(), e);
      }
    }
  }

  /** Decoded Avro arrays do not support removal; sessions' changes get plain lists. */
  private static CallState mutable(CallState state) {
    state.setEntries(new ArrayList<>(state.getEntries()));
    state.setPendingTools(new ArrayList<>(state.getPendingTools()));
    state.setSettledTools(new ArrayList<>(state.getSettledTools()));
    return state;
  }

  /**
   * The task is moving to another worker (or this one is stopping): close every session, then write
   * what the sessions changed up to that moment, so the commit that follows carries it to the new
   * owner's replay.
   */
  @Override
  public void close() {
    live.values().forEach(LiveCall::handOver);
    live.clear();
    applyMutations();
  }

  private static CallContext context(CallState state, AgentProfile profile) {
    return new CallContext(
        state.getCallId(),
        state.getTenantId(),
        profile,
        dev.voicebus.avro.AudioCodec.valueOf(state.getCodec()),
        state.getReplyTopic(),
        state.getReplyPartition(),
        Instant.ofEpochMilli(state.getStartedAtMs()));
  }

  private static CallState newState(CallStarted started) {
    return CallState.newBuilder()
        .setCallId(started.getCallId())
        .setTenantId(started.getTenantId())
        .setProfileId(started.getAgentProfile())
        .setCodec(started.getCodec().name())
        .setReplyTopic(started.getReplyRoute().getTopic())
        .setReplyPartition(started.getReplyRoute().getPartition())
        .setStartedAtMs(started.getStartedAt().toEpochMilli())
        .setStatus(CallStatus.LIVE)
        .setEntries(new ArrayList<>())
        .setPendingTools(new ArrayList<>())
        .setSettledTools(new ArrayList<>())
        .setUsage(new UsageTotals())
        .build();
  }
}

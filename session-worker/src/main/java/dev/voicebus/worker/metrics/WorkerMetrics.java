package dev.voicebus.worker.metrics;

import dev.voicebus.avro.TokenUsage;
import dev.voicebus.observability.metrics.LatencyTimers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.HdrHistogram.Recorder;

/**
 * The session worker's call meters, in Prometheus terms (names as exported):
 *
 * <ul>
 *   <li>{@code voicebus_worker_live_calls} and {@code voicebus_worker_sessions{state}} (gauges);
 *   <li>{@code voicebus_worker_frames_total{outcome=in|forwarded|duplicate|unknown_call}}, {@code
 *       voicebus_worker_audio_gaps_total}, {@code voicebus_worker_barge_ins_total};
 *   <li>{@code voicebus_worker_reconnects_total{cause}}, {@code voicebus_worker_failovers_total};
 *   <li>{@code voicebus_worker_realtime_errors_total{code}}, {@code
 *       voicebus_worker_tool_calls_total{status}};
 *   <li>histograms {@code voicebus_worker_turn_latency_seconds} (the caller stops speaking to the
 *       agent's first audio sent toward the caller), {@code
 *       voicebus_worker_tool_round_trip_seconds} (tool call published to its result back), {@code
 *       voicebus_worker_tool_overhead_seconds} (the same minus the tool's own run time), {@code
 *       voicebus_worker_audio_in_latency_seconds} (audio.in record timestamp to Realtime append);
 *   <li>{@code voicebus_worker_tokens_total{model,direction,modality}} and {@code
 *       voicebus_worker_cost_usd_total{model}}.
 * </ul>
 *
 * The audio-in and tool-overhead latencies are also kept in HdrHistogram recorders for the load
 * test.
 */
public final class WorkerMetrics {

  /** Why a call opened a new Realtime session (a SessionReconnect's cause). */
  public enum ReconnectCause {
    FAILOVER,
    SOCKET_CLOSED,
    ROTATION,
    CONNECT_FAILED
  }

  private final MeterRegistry registry;
  private final Counter framesIn;
  private final Counter framesForwarded;
  private final Counter framesDuplicate;
  private final Counter framesUnknownCall;
  private final Counter audioGaps;
  private final Counter bargeIns;
  private final Counter failovers;
  private final Timer inboundLatency;
  private final Timer toolOverhead;
  private final Timer toolRoundTrip;
  private final Timer turnLatency;
  private final Map<String, Counter> byTag = new ConcurrentHashMap<>();
  private final Recorder inboundNanos = new Recorder(3);
  private final Recorder toolOverheadNanos = new Recorder(3);

  public WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
    framesIn = registry.counter("voicebus.worker.frames", "outcome", "in");
    framesForwarded = registry.counter("voicebus.worker.frames", "outcome", "forwarded");
    framesDuplicate = registry.counter("voicebus.worker.frames", "outcome", "duplicate");
    framesUnknownCall = registry.counter("voicebus.worker.frames", "outcome", "unknown_call");
    audioGaps = registry.counter("voicebus.worker.audio.gaps");
    bargeIns = registry.counter("voicebus.worker.barge_ins");
    failovers = registry.counter("voicebus.worker.failovers");
    inboundLatency =
        LatencyTimers.builder("voicebus.worker.audio.in.latency")
            .description("audio.in record timestamp to Realtime append")
            .register(registry);
    toolOverhead =
        LatencyTimers.builder("voicebus.worker.tool.overhead")
            .description("ToolCall published to result sent to Realtime, minus the tool's run time")
            .register(registry);
    toolRoundTrip =
        LatencyTimers.builder("voicebus.worker.tool.round.trip")
            .description("ToolCall published to its result received")
            .register(registry);
    turnLatency =
        LatencyTimers.builder("voicebus.worker.turn.latency")
            .description("The caller stops speaking to the agent's first audio sent to the caller")
            .register(registry);
    // Known outcomes exported from the start at zero, so rates read 0 rather than "no data".
    for (String status : TOOL_STATUSES) {
      counter("voicebus.worker.tool.calls", "status", status);
    }
    for (ReconnectCause cause : ReconnectCause.values()) {
      counter("voicebus.worker.reconnects", "cause", cause.name().toLowerCase(Locale.ROOT));
    }
  }

  private static final List<String> TOOL_STATUSES =
      List.of("ok", "error", "timeout", "late", "unknown");

  /** The live calls gauge, read from {@code liveCalls} at each scrape. */
  public void liveCalls(Supplier<Number> liveCalls) {
    Gauge.builder("voicebus.worker.live.calls", liveCalls)
        .description("calls with a live session on this worker")
        .register(registry);
  }

  /** A sessions gauge for {@code state} (connecting, open, reconnecting). */
  public void sessions(String state, Supplier<Number> count) {
    Gauge.builder("voicebus.worker.sessions", count)
        .tag("state", state)
        .description("Realtime sessions of this worker's calls by state")
        .register(registry);
  }

  public void frameIn() {
    framesIn.increment();
  }

  public void frameForwarded(Duration sinceProduced) {
    framesForwarded.increment();
    if (!sinceProduced.isNegative()) {
      inboundLatency.record(sinceProduced);
      inboundNanos.recordValue(sinceProduced.toNanos());
    }
  }

  /**
   * A tool result came back {@code sinceAsked} after the call was published; the tool ran {@code
   * toolMs}.
   */
  public void toolRoundTrip(Duration sinceAsked, long toolMs) {
    toolRoundTrip.record(sinceAsked);
    Duration overhead = sinceAsked.minusMillis(toolMs);
    Duration kept = overhead.isNegative() ? Duration.ZERO : overhead;
    toolOverhead.record(kept);
    toolOverheadNanos.recordValue(kept.toNanos());
  }

  /** A tool call ended {@code status}: ok, error, timeout, or late (a result after its timeout). */
  public void toolCall(String status) {
    counter("voicebus.worker.tool.calls", "status", status).increment();
  }

  /** The caller stopped speaking {@code latency} before the agent's first audio was sent. */
  public void turnLatency(Duration latency) {
    if (!latency.isNegative()) {
      turnLatency.record(latency);
    }
  }

  public void frameDuplicate() {
    framesDuplicate.increment();
  }

  public void frameUnknownCall() {
    framesUnknownCall.increment();
  }

  public void framesUnknownCall(int count) {
    framesUnknownCall.increment(count);
  }

  public void audioGap() {
    audioGaps.increment();
  }

  public void reconnect(ReconnectCause cause) {
    counter("voicebus.worker.reconnects", "cause", cause.name().toLowerCase(Locale.ROOT))
        .increment();
  }

  /** A live call moved to this worker (failover, hand-over, rebalance). */
  public void failover() {
    failovers.increment();
  }

  public void realtimeError(String code) {
    counter(
            "voicebus.worker.realtime.errors",
            "code",
            code == null || code.isEmpty() ? "none" : code)
        .increment();
  }

  public void bargeIn() {
    bargeIns.increment();
  }

  /** One response's (or one transcription's) tokens and cost, by model. */
  public void usage(String model, TokenUsage tokens, double costUsd) {
    tokens(model, "input", "text", tokens.getInputTextTokens() - tokens.getCachedTextTokens());
    tokens(model, "input", "audio", tokens.getInputAudioTokens() - tokens.getCachedAudioTokens());
    tokens(model, "input", "image", tokens.getInputImageTokens() - tokens.getCachedImageTokens());
    tokens(model, "input", "cached_text", tokens.getCachedTextTokens());
    tokens(model, "input", "cached_audio", tokens.getCachedAudioTokens());
    tokens(model, "output", "text", tokens.getOutputTextTokens());
    tokens(model, "output", "audio", tokens.getOutputAudioTokens());
    if (costUsd > 0) {
      counter("voicebus.worker.cost.usd", "model", model).increment(costUsd);
    }
  }

  private void tokens(String model, String direction, String modality, long count) {
    if (count > 0) {
      byTag
          .computeIfAbsent(
              "tokens/" + model + "/" + direction + "/" + modality,
              k ->
                  Counter.builder("voicebus.worker.tokens")
                      .tags("model", model, "direction", direction, "modality", modality)
                      .register(registry))
          .increment(count);
    }
  }

  private Counter counter(String name, String tag, String value) {
    return byTag.computeIfAbsent(
        name + "/" + tag + "=" + value, k -> registry.counter(name, tag, value));
  }

  /** Interval histogram of the inbound latency in nanoseconds (each read starts a new interval). */
  public Recorder inboundLatencyRecorder() {
    return inboundNanos;
  }

  /** Interval histogram of the tool overhead in nanoseconds (each read starts a new interval). */
  public Recorder toolOverheadRecorder() {
    return toolOverheadNanos;
  }
}

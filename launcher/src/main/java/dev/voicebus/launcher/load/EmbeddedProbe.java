package dev.voicebus.launcher.load;

import dev.voicebus.launcher.local.LocalStack;
import dev.voicebus.realtime.sandbox.protocol.SessionRecord;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * Reads the embedded deployment's own meters: the worker's audio-in latency and tool overhead
 * HdrHistogram recorders, the ingest node's agent-audio delivery recorder, and the sandbox's
 * per-session audio records.
 */
public final class EmbeddedProbe implements LoadProbe {

  private final LocalStack stack;
  private final MeterRegistry workerRegistry;
  private final Histogram outbound = new Histogram(3);
  private final Histogram inbound = new Histogram(3);
  private final Histogram tool = new Histogram(3);

  private EmbeddedProbe(LocalStack stack, MeterRegistry workerRegistry) {
    this.stack = stack;
    this.workerRegistry = workerRegistry;
  }

  /** A registry for the worker whose timers keep percentiles for the whole run. */
  public static MeterRegistry workerRegistry() {
    var registry = new SimpleMeterRegistry();
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                return DistributionStatisticConfig.builder()
                    .percentiles(0.5, 0.9, 0.99, 0.999)
                    .percentilePrecision(3)
                    .expiry(Duration.ofDays(1))
                    .bufferLength(1)
                    .build()
                    .merge(config);
              }
            });
    return registry;
  }

  /** Probes {@code stack}, whose worker was started with {@code workerRegistry}. */
  public static EmbeddedProbe of(LocalStack stack, MeterRegistry workerRegistry) {
    return new EmbeddedProbe(stack, workerRegistry);
  }

  @Override
  public String target() {
    return "Voicebus (embedded: Kafka, ingest, worker, tool executor, sandbox)";
  }

  @Override
  public synchronized void reset() {
    stack.ingestMetrics().playbackLatencyRecorder().getIntervalHistogram();
    stack.workerMetrics().inboundLatencyRecorder().getIntervalHistogram();
    outbound.reset();
    inbound.reset();
  }

  @Override
  public long agentChunks() {
    Timer timer = stack.ingestMetrics().registry().find("voicebus.ingest.playback.latency").timer();
    return timer == null ? 0 : timer.count();
  }

  @Override
  public synchronized LatencyStats inbound() {
    inbound.add(stack.workerMetrics().inboundLatencyRecorder().getIntervalHistogram());
    return LatencyStats.ofNanos(inbound);
  }

  @Override
  public synchronized LatencyStats outbound() {
    outbound.add(stack.ingestMetrics().playbackLatencyRecorder().getIntervalHistogram());
    return LatencyStats.ofNanos(outbound);
  }

  @Override
  public synchronized LatencyStats toolOverhead() {
    tool.add(stack.workerMetrics().toolOverheadRecorder().getIntervalHistogram());
    return LatencyStats.ofNanos(tool);
  }

  @Override
  public Optional<List<SessionRecord>> realtimeSessions() {
    return stack.sandbox().map(s -> s.sessions());
  }
}

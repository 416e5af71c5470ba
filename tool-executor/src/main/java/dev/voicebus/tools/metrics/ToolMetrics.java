package dev.voicebus.tools.metrics;

import dev.voicebus.avro.ToolStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/**
 * Per-tool meters: {@code voicebus.tool.calls} (tagged tool and status ok/error/timeout), {@code
 * voicebus.tool.errors} (tagged tool and error code), {@code voicebus.tool.timeouts}, {@code
 * voicebus.tool.latency} (a timer with a histogram, for {@code histogram_quantile} percentiles that
 * aggregate across instances) and {@code voicebus.tool.dedupe.hits} (redelivered calls answered
 * from the dedupe store). Unknown tool names are counted under {@code tool="unknown"} so callers
 * cannot grow the tag set.
 */
public final class ToolMetrics {

  private final MeterRegistry registry;

  public ToolMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Records one finished execution of {@code tool}. */
  public void recordResult(String tool, ToolStatus status, String errorCode, Duration latency) {
    String statusTag = status.name().toLowerCase(Locale.ROOT);
    Counter.builder("voicebus.tool.calls")
        .description("Tool calls by outcome")
        .tags("tool", tool, "status", statusTag)
        .register(registry)
        .increment();
    if (status == ToolStatus.ERROR) {
      Counter.builder("voicebus.tool.errors")
          .description("Tool calls that ended in an error, by code")
          .tags("tool", tool, "code", errorCode == null ? "unknown" : errorCode)
          .register(registry)
          .increment();
    }
    if (status == ToolStatus.TIMEOUT) {
      Counter.builder("voicebus.tool.timeouts")
          .description("Tool calls that missed their deadline")
          .tags("tool", tool)
          .register(registry)
          .increment();
    }
    Timer.builder("voicebus.tool.latency")
        .description("Time from consuming a tool call to its result")
        .tags("tool", tool)
        .publishPercentileHistogram()
        .register(registry)
        .record(latency);
  }

  /** Counts a redelivered call answered from the dedupe store instead of running again. */
  public void recordDedupeHit(String tool) {
    Counter.builder("voicebus.tool.dedupe.hits")
        .description("Redelivered tool calls answered from the dedupe store")
        .tags("tool", tool)
        .register(registry)
        .increment();
  }
}

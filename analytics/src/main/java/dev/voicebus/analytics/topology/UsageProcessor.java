package dev.voicebus.analytics.topology;

import dev.voicebus.analytics.usage.UsageDelta;
import dev.voicebus.analytics.usage.UsageWindows;
import dev.voicebus.avro.TenantUsage;
import dev.voicebus.avro.UsageGranularity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Adds usage deltas, keyed by tenant, to the tenant's hour and day windows in the {@link
 * AnalyticsStores#USAGE} store, publishes changed windows once per {@code
 * analytics.publish-interval}, and drops windows older than {@code analytics.usage-retention} from
 * the store.
 */
final class UsageProcessor implements Processor<String, UsageDelta, String, TenantUsage> {

  private static final List<UsageGranularity> GRANULARITIES =
      List.of(UsageGranularity.HOUR, UsageGranularity.DAY);

  private final Duration publishInterval;
  private final Duration retention;
  private final Set<String> dirty = new LinkedHashSet<>();
  private ProcessorContext<String, TenantUsage> context;
  private KeyValueStore<String, TenantUsage> windows;

  UsageProcessor(Duration publishInterval, Duration retention) {
    this.publishInterval = publishInterval;
    this.retention = retention;
  }

  @Override
  public void init(ProcessorContext<String, TenantUsage> context) {
    this.context = context;
    this.windows = context.getStateStore(AnalyticsStores.USAGE);
    context.schedule(publishInterval, PunctuationType.WALL_CLOCK_TIME, this::publishChanged);
    context.schedule(Duration.ofHours(1), PunctuationType.WALL_CLOCK_TIME, this::dropExpired);
  }

  @Override
  public void process(Record<String, UsageDelta> record) {
    UsageDelta delta = record.value();
    if (delta == null) {
      throw new IllegalArgumentException("usage record without a value");
    }
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    for (UsageGranularity granularity : GRANULARITIES) {
      String key =
          UsageWindows.storeKey(
              delta.getTenantId(),
              granularity,
              UsageWindows.windowStart(delta.getAt(), granularity));
      windows.put(key, UsageWindows.add(windows.get(key), granularity, delta, now));
      dirty.add(key);
    }
  }

  private void publishChanged(long now) {
    for (String key : dirty) {
      TenantUsage window = windows.get(key);
      if (window != null) {
        context.forward(new Record<>(UsageWindows.topicKey(window), window, now));
      }
    }
    dirty.clear();
  }

  private void dropExpired(long now) {
    List<String> expired = new ArrayList<>();
    try (var it = windows.all()) {
      it.forEachRemaining(
          entry -> {
            if (entry.value.getWindowEnd().toEpochMilli() < now - retention.toMillis()) {
              expired.add(entry.key);
            }
          });
    }
    expired.forEach(windows::delete);
  }
}

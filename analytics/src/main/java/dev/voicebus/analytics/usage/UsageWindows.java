package dev.voicebus.analytics.usage;

import dev.voicebus.avro.TenantUsage;
import dev.voicebus.avro.TokenUsage;
import dev.voicebus.avro.UsageGranularity;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * Tenant usage windows: which hour and day (UTC) an instant falls in, the store and topic keys of a
 * window, and adding a {@link UsageDelta} to a window. Pure functions.
 */
public final class UsageWindows {

  private static final char SEPARATOR = '\u0000';

  private UsageWindows() {}

  public static Instant windowStart(Instant at, UsageGranularity granularity) {
    return at.truncatedTo(granularity == UsageGranularity.DAY ? ChronoUnit.DAYS : ChronoUnit.HOURS);
  }

  public static Duration size(UsageGranularity granularity) {
    return granularity == UsageGranularity.DAY ? Duration.ofDays(1) : Duration.ofHours(1);
  }

  /**
   * The store key: tenant, granularity and zero-padded window start, so one tenant's windows of one
   * granularity are a contiguous, time-ordered range.
   */
  public static String storeKey(String tenant, UsageGranularity granularity, Instant start) {
    return tenant
        + SEPARATOR
        + granularity.name()
        + SEPARATOR
        + String.format("%015d", start.toEpochMilli());
  }

  /** The first and last store key of a tenant's windows of one granularity within [from, to]. */
  public static String[] storeRange(
      String tenant, UsageGranularity granularity, Instant from, Instant to) {
    return new String[] {
      storeKey(tenant, granularity, windowStart(from, granularity)),
      storeKey(tenant, granularity, to)
    };
  }

  /** The usage topic's key: {@code <tenant>|<HOUR|DAY>|<window start ISO-8601>}. */
  public static String topicKey(TenantUsage window) {
    return window.getTenantId() + "|" + window.getGranularity() + "|" + window.getWindowStart();
  }

  /** {@code window} (or a new empty one) with {@code delta} added. */
  public static TenantUsage add(
      TenantUsage window, UsageGranularity granularity, UsageDelta delta, Instant now) {
    Instant start = windowStart(delta.getAt(), granularity);
    TenantUsage current =
        window != null
            ? window
            : TenantUsage.newBuilder()
                .setTenantId(delta.getTenantId())
                .setGranularity(granularity)
                .setWindowStart(start)
                .setWindowEnd(start.plus(size(granularity)))
                .setUsage(TokenUsage.newBuilder().build())
                .setUpdatedAt(now)
                .build();
    TokenUsage u = current.getUsage();
    Map<String, Long> buckets = new HashMap<>(current.getTurnLatencyBuckets());
    for (long latency : delta.getTurnLatenciesMs()) {
      LatencyHistogram.record(buckets, latency);
    }
    return TenantUsage.newBuilder(current)
        .setCalls(current.getCalls() + delta.getCalls())
        .setCallMs(current.getCallMs() + delta.getCallMs())
        .setUsage(
            TokenUsage.newBuilder(u)
                .setInputTextTokens(u.getInputTextTokens() + delta.getInputTextTokens())
                .setInputAudioTokens(u.getInputAudioTokens() + delta.getInputAudioTokens())
                .setInputImageTokens(u.getInputImageTokens() + delta.getInputImageTokens())
                .setCachedTextTokens(u.getCachedTextTokens() + delta.getCachedTextTokens())
                .setCachedAudioTokens(u.getCachedAudioTokens() + delta.getCachedAudioTokens())
                .setCachedImageTokens(u.getCachedImageTokens() + delta.getCachedImageTokens())
                .setOutputTextTokens(u.getOutputTextTokens() + delta.getOutputTextTokens())
                .setOutputAudioTokens(u.getOutputAudioTokens() + delta.getOutputAudioTokens())
                .setTotalTokens(u.getTotalTokens() + delta.getTotalTokens())
                .build())
        .setCostUsd(current.getCostUsd() + delta.getCostUsd())
        .setTranscriptionSeconds(
            current.getTranscriptionSeconds() + delta.getTranscriptionSeconds())
        .setToolCalls(current.getToolCalls() + delta.getToolCalls())
        .setToolErrors(current.getToolErrors() + delta.getToolErrors())
        .setErrors(current.getErrors() + delta.getErrors())
        .setTurnLatencyCount(current.getTurnLatencyCount() + delta.getTurnLatenciesMs().size())
        .setTurnLatencyBuckets(buckets)
        .setTurnLatencyP50Ms(LatencyHistogram.quantile(buckets, 0.5))
        .setTurnLatencyP95Ms(LatencyHistogram.quantile(buckets, 0.95))
        .setUpdatedAt(now)
        .build();
  }
}

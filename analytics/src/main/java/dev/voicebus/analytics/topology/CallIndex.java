package dev.voicebus.analytics.topology;

import dev.voicebus.avro.CallRecord;
import java.time.Instant;
import java.util.Optional;

/**
 * Keys of the calls-by-tenant index: tenant, then the start time counted down from the far future
 * (so a range scan yields the newest calls first), then the call id. Calls whose tenant is not
 * known yet are indexed under the empty tenant.
 */
public final class CallIndex {

  static final char SEPARATOR = '\u0000';
  private static final long FAR_FUTURE = 9_999_999_999_999L;

  private CallIndex() {}

  public static Optional<String> key(CallRecord doc) {
    if (doc == null) {
      return Optional.empty();
    }
    Instant startedAt = doc.getStartedAt() == null ? doc.getUpdatedAt() : doc.getStartedAt();
    return Optional.of(key(tenantOf(doc), startedAt.toEpochMilli(), doc.getCallId()));
  }

  public static String key(String tenant, long startedAtMs, String callId) {
    return tenant + SEPARATOR + countdown(startedAtMs) + SEPARATOR + callId;
  }

  /** The first key of {@code tenant}'s calls that started at or before {@code to}. */
  public static String from(String tenant, Instant to) {
    return tenant + SEPARATOR + countdown(to.toEpochMilli());
  }

  /** Past the last key of {@code tenant}'s calls that started at or after {@code from}. */
  public static String to(String tenant, Instant from) {
    return tenant + SEPARATOR + countdown(from.toEpochMilli()) + SEPARATOR + '\uffff';
  }

  public static String tenantOf(CallRecord doc) {
    return doc.getTenantId() == null ? "" : doc.getTenantId();
  }

  /** The call id at the end of an index key. */
  public static String callId(String key) {
    return key.substring(key.lastIndexOf(SEPARATOR) + 1);
  }

  /** The start time (ms) in an index key. */
  public static long startedAtMs(String key) {
    int end = key.lastIndexOf(SEPARATOR);
    int start = key.lastIndexOf(SEPARATOR, end - 1) + 1;
    return FAR_FUTURE - Long.parseLong(key.substring(start, end));
  }

  private static String countdown(long ms) {
    return String.format("%013d", FAR_FUTURE - Math.max(0, Math.min(ms, FAR_FUTURE)));
  }
}

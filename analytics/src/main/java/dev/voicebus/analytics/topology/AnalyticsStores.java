package dev.voicebus.analytics.topology;

/** The names of the analytics service's state stores, which the query API reads. */
public final class AnalyticsStores {

  /** Call id to its {@code CallRecord}. */
  public static final String CALLS = "calls";

  /** {@link CallIndex} keys (tenant, newest first, call id) to the call id. */
  public static final String CALL_INDEX = "calls-by-tenant";

  /** Call id to tenant of calls not yet ENDED. */
  public static final String LIVE = "live-calls";

  /** {@code UsageWindows.storeKey} to the window's {@code TenantUsage}. */
  public static final String USAGE = "usage-windows";

  private AnalyticsStores() {}
}

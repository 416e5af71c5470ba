package dev.voicebus.ingest.support;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;

/** Reads a node's meters by name and tag, 0 when the meter does not exist (yet). */
public final class Meters {

  private Meters() {}

  public static double count(IngestHarness harness, String name, String... tags) {
    Counter counter = harness.service().metrics().registry().find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  public static double gauge(IngestHarness harness, String name) {
    Gauge gauge = harness.service().metrics().registry().find(name).gauge();
    return gauge == null ? 0 : gauge.value();
  }
}

package dev.voicebus.observability.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The JVM and process meters every Voicebus service exports, from Micrometer's own binders: memory
 * by pool ({@code jvm_memory_used_bytes}), garbage collection pauses ({@code
 * jvm_gc_pause_seconds}), threads, class loading, CPU ({@code process_cpu_usage}, {@code
 * system_cpu_usage}), open files and uptime. Close it with the registry: the GC binder listens to
 * JMX notifications.
 */
public final class ProcessMeters implements AutoCloseable {

  private final JvmGcMetrics gc;

  private ProcessMeters(JvmGcMetrics gc) {
    this.gc = gc;
  }

  /** Binds every JVM and process meter to {@code registry}. */
  public static ProcessMeters bindTo(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return new ProcessMeters(gc);
  }

  @Override
  public void close() {
    gc.close();
  }
}

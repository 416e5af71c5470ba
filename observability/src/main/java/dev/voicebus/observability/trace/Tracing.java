package dev.voicebus.observability.trace;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's OpenTelemetry tracing. Configured by the standard {@code OTEL_*} environment
 * variables (or {@code otel.*} system properties) through the SDK's autoconfiguration, and off —
 * the API's no-op, nothing recorded or sent — unless a traces exporter is configured: {@code
 * OTEL_TRACES_EXPORTER} other than {@code none}, or an OTLP endpoint ({@code
 * OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}). {@code
 * OTEL_SDK_DISABLED=true} turns it off in any case. Only traces are exported this way: metrics stay
 * on the Prometheus endpoint and logs on stdout unless {@code OTEL_METRICS_EXPORTER} or {@code
 * OTEL_LOGS_EXPORTER} say otherwise. Attributes that may hold what a caller said or typed
 * (transcripts, tool arguments, both already redacted) are recorded only with {@value #SENSITIVE}
 * set to true.
 */
public final class Tracing implements AutoCloseable {

  /** The setting that allows sensitive span attributes (also {@code OTEL_INSTRUMENTATION_...}). */
  public static final String SENSITIVE = "otel.instrumentation.voicebus.sensitive-attributes";

  /** The instrumentation scope of every Voicebus span. */
  public static final String SCOPE = "dev.voicebus";

  private static final Logger log = LoggerFactory.getLogger(Tracing.class);

  private final OpenTelemetry otel;
  private final Tracer tracer;
  private final boolean recording;
  private final boolean sensitive;
  private final AutoCloseable shutdown;

  private Tracing(
      OpenTelemetry otel, boolean recording, boolean sensitive, AutoCloseable shutdown) {
    this.otel = otel;
    this.tracer = otel.getTracer(SCOPE);
    this.recording = recording;
    this.sensitive = sensitive;
    this.shutdown = shutdown;
  }

  /** Tracing for {@code serviceName} as the process's environment configures it. */
  public static Tracing fromEnvironment(String serviceName) {
    return fromSettings(serviceName, System.getProperties(), System.getenv());
  }

  static Tracing fromSettings(
      String serviceName, Properties systemProperties, Map<String, String> environment) {
    var settings = new Settings(systemProperties, environment);
    if (!settings.exporterConfigured()) {
      return off();
    }
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(
                () ->
                    Map.of(
                        "otel.service.name", serviceName,
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none",
                        "otel.exporter.otlp.protocol", "http/protobuf"))
            .build()
            .getOpenTelemetrySdk();
    log.info(
        "Tracing on for {}: exporter {}",
        serviceName,
        settings.get("otel.traces.exporter").orElse("otlp"));
    return new Tracing(sdk, true, settings.sensitive(), sdk);
  }

  /** Tracing through {@code otel} (an SDK built by the caller, e.g. with an in-memory exporter). */
  public static Tracing of(OpenTelemetry otel, boolean sensitiveAttributes) {
    return new Tracing(otel, true, sensitiveAttributes, () -> {});
  }

  /** No tracing: every span is a no-op. */
  public static Tracing off() {
    return new Tracing(OpenTelemetry.noop(), false, false, () -> {});
  }

  public Tracer tracer() {
    return tracer;
  }

  /** Whether spans are recorded and exported (false: the no-op). */
  public boolean recording() {
    return recording;
  }

  /** Whether spans may carry transcripts and tool arguments ({@value #SENSITIVE}). */
  public boolean sensitiveAttributes() {
    return sensitive;
  }

  /** Ends tracing: flushes and stops the exporter of an autoconfigured SDK. */
  @Override
  public void close() {
    try {
      shutdown.close();
    } catch (Exception e) {
      log.warn("Tracing did not shut down cleanly: {}", e.toString());
    }
  }

  /** {@code otel.*} settings as system properties, else as {@code OTEL_*} variables. */
  private record Settings(Properties systemProperties, Map<String, String> environment) {

    Optional<String> get(String property) {
      String value = systemProperties.getProperty(property);
      if (value == null) {
        value =
            environment.get(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
      }
      return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    boolean exporterConfigured() {
      if (get("otel.sdk.disabled").map(Boolean::parseBoolean).orElse(false)) {
        return false;
      }
      Optional<String> exporter = get("otel.traces.exporter");
      if (exporter.isPresent()) {
        return !exporter.get().equalsIgnoreCase("none");
      }
      return get("otel.exporter.otlp.endpoint").isPresent()
          || get("otel.exporter.otlp.traces.endpoint").isPresent();
    }

    boolean sensitive() {
      return get(SENSITIVE).map(Boolean::parseBoolean).orElse(false);
    }
  }
}

package dev.voicebus.observability.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class TracingTest {

  @Test
  void offWithoutAnExporter() {
    try (var tracing = Tracing.fromSettings("svc", new Properties(), Map.of())) {
      assertThat(tracing.recording()).isFalse();
      var span = tracing.tracer().spanBuilder("x").startSpan();
      assertThat(span.getSpanContext().isValid()).isFalse();
      span.end();
    }
  }

  @Test
  void offWhenTheExporterIsNone() {
    var tracing =
        Tracing.fromSettings("svc", new Properties(), Map.of("OTEL_TRACES_EXPORTER", "none"));
    assertThat(tracing.recording()).isFalse();
  }

  @Test
  void offWhenTheSdkIsDisabledEvenWithAnEndpoint() {
    var tracing =
        Tracing.fromSettings(
            "svc",
            new Properties(),
            Map.of(
                "OTEL_SDK_DISABLED", "true",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"));
    assertThat(tracing.recording()).isFalse();
  }

  @Test
  void onWithAnExporterFromTheEnvironmentOrASystemProperty() {
    try (var fromEnv =
        Tracing.fromSettings(
            "svc",
            new Properties(),
            Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://x:4318"))) {
      assertThat(fromEnv.recording()).isTrue();
    }
    var props = new Properties();
    props.setProperty("otel.traces.exporter", "console");
    try (var fromProps = Tracing.fromSettings("svc", props, Map.of())) {
      assertThat(fromProps.recording()).isTrue();
      var span = fromProps.tracer().spanBuilder("x").startSpan();
      assertThat(span.getSpanContext().isValid()).isTrue();
      span.end();
      assertThat(fromProps.sensitiveAttributes()).isFalse();
    }
  }

  @Test
  void sensitiveAttributesOnlyWhenAskedFor() {
    var props = new Properties();
    props.setProperty("otel.traces.exporter", "console");
    try (var tracing =
        Tracing.fromSettings(
            "svc", props, Map.of("OTEL_INSTRUMENTATION_VOICEBUS_SENSITIVE_ATTRIBUTES", "true"))) {
      assertThat(tracing.sensitiveAttributes()).isTrue();
    }
  }
}

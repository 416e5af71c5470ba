package dev.voicebus.launcher.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.launcher.audio.CallerAudio;
import dev.voicebus.launcher.demo.ConversationalCaller;
import dev.voicebus.launcher.local.LocalOptions;
import dev.voicebus.launcher.local.LocalStack;
import dev.voicebus.observability.trace.Tracing;
import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.TwilioCallSimulator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One call with a tool round trip through the whole local stack, every service traced into the
 * SDK's in-memory exporter: ingest's call span, the worker's call, turn and tool call spans and the
 * tool executor's span form one trace, each linked to its parent across Kafka.
 */
class CallTraceIT {

  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final List<OpenTelemetrySdk> sdks = new ArrayList<>();

  @AfterEach
  void close() {
    sdks.forEach(OpenTelemetrySdk::close);
  }

  @Test
  void oneTraceSpansIngestTheWorkerAndTheToolExecutorForACallWithAToolRoundTrip() throws Exception {
    var options = new LocalOptions(Optional.empty(), 0, 0, Map.of()).withTracing(this::tracing);
    try (var stack = LocalStack.start(options, line -> {})) {
      placeTheDemoCall(stack);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> named("call").size() == 2 && !named("execute_tool").isEmpty());
    }

    SpanData ingest = only("call", "voicebus-ingest");
    SpanData worker = only("call", "voicebus-session-worker");
    SpanData tool = only("tool_call", "voicebus-session-worker");
    SpanData executed = only("execute_tool", "voicebus-tool-executor");
    String trace = ingest.getTraceId();

    assertThat(List.of(worker, tool, executed))
        .allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(trace));
    assertThat(ingest.getParentSpanContext().isValid()).isFalse();
    assertThat(worker.getParentSpanId()).isEqualTo(ingest.getSpanId());
    assertThat(tool.getParentSpanId()).isEqualTo(worker.getSpanId());
    assertThat(executed.getParentSpanId()).isEqualTo(tool.getSpanId());
    assertThat(tool.getLinks())
        .anySatisfy(
            l -> assertThat(l.getSpanContext().getSpanId()).isEqualTo(executed.getSpanId()));
    assertThat(named("turn"))
        .isNotEmpty()
        .allSatisfy(
            t -> {
              assertThat(t.getTraceId()).isEqualTo(trace);
              assertThat(t.getParentSpanId()).isEqualTo(worker.getSpanId());
            });
    assertThat(spans.getFinishedSpanItems())
        .as("no span per audio frame: a handful per call")
        .hasSizeLessThan(20);
  }

  private void placeTheDemoCall(LocalStack stack) throws Exception {
    CallerAudio audio;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("demo/caller.wav")) {
      audio = CallerAudio.read(in, "demo/caller.wav");
    }
    URI twilio = URI.create("ws://127.0.0.1:" + stack.ingestPort() + "/twilio/media");
    try (var simulator =
        new TwilioCallSimulator(SimulatorOptions.of(twilio, stack.twilioAuthToken()), 1)) {
      var call = simulator.call(Map.of("agentProfile", "support")).get(15, TimeUnit.SECONDS);
      new ConversationalCaller(call, Duration.ofSeconds(30), line -> {})
          .converse(audio.utterances(700));
      call.sendStop();
    }
  }

  /** Each service its own SDK (its service.name), all exporting to the one in-memory exporter. */
  private Tracing tracing(String service) {
    var sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .setResource(
                        Resource.getDefault()
                            .merge(Resource.create(Attributes.of(SERVICE, service))))
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    sdks.add(sdk);
    return Tracing.of(sdk, false);
  }

  private List<SpanData> named(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  private SpanData only(String name, String service) {
    var found =
        named(name).stream()
            .filter(s -> service.equals(s.getResource().getAttribute(SERVICE)))
            .toList();
    assertThat(found).as("%s spans of %s", name, service).hasSize(1);
    return found.get(0);
  }
}

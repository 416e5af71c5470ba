package dev.voicebus.launcher.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One call with a tool round trip through the whole local stack, observed as an operator would:
 * every service traced into the SDK's in-memory exporter (one trace across ingest, the worker and
 * the tool executor, each span linked to its parent across Kafka), and every service's {@code
 * /metrics} scraped afterwards to check that each metric the Grafana dashboard queries is exported.
 */
class ObservedCallIT {

  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");
  private static final Path DASHBOARD = Path.of("../deploy/grafana/voicebus-dashboard.json");

  private static final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private static final List<OpenTelemetrySdk> sdks = new ArrayList<>();

  /** Each service's scraped /metrics text, by service name. */
  private static final Map<String, String> scraped = new HashMap<>();

  @BeforeAll
  static void placeOneObservedCall() throws Exception {
    // The executor's admin port is off at 0 (dev mode asks for one); pick a free one.
    int toolsAdmin;
    try (var socket = new java.net.ServerSocket(0)) {
      toolsAdmin = socket.getLocalPort();
    }
    var options =
        new LocalOptions(
                Optional.empty(),
                0,
                0,
                Map.of("tool-executor.http-port", String.valueOf(toolsAdmin)))
            .withTracing(ObservedCallIT::tracing);
    try (var stack = LocalStack.start(options, line -> {})) {
      placeTheDemoCall(stack);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> named("call").size() == 2 && !named("execute_tool").isEmpty());
      scraped.put("voicebus-ingest", scrape(stack.adminPort()));
      scraped.put("voicebus-session-worker", scrape(stack.workerAdminPort()));
      scraped.put("voicebus-tool-executor", scrape(stack.toolExecutorAdminPort().orElseThrow()));
      scraped.put("voicebus-analytics", scrape(stack.analyticsAdminPort().orElseThrow()));
      scraped.put(
          "voicebus-recorder", scrape(stack.recorder().orElseThrow().adminPort().orElseThrow()));
    }
  }

  @AfterAll
  static void close() {
    sdks.forEach(OpenTelemetrySdk::close);
  }

  @Test
  void oneTraceSpansIngestTheWorkerAndTheToolExecutorForACallWithAToolRoundTrip() {
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

  @Test
  void everyMetricTheDashboardQueriesIsExportedByARunningService() throws Exception {
    Set<String> queried = dashboardMetrics();
    assertThat(queried).as("metrics found in the dashboard's queries").hasSizeGreaterThan(20);

    Set<String> exported = new TreeSet<>();
    scraped.values().forEach(text -> exported.addAll(sampleNames(text)));
    assertThat(exported).containsAll(queried);
  }

  @Test
  void everyServiceLabelsItsMetricsWithItsName() {
    scraped.forEach(
        (service, text) ->
            assertThat(text)
                .as(service)
                .containsPattern("(?m)^process_cpu_usage\\{.*service=\"" + service + "\""));
  }

  /** The metric names in every query of the dashboard (label names and functions left out). */
  private static Set<String> dashboardMetrics() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
    Set<String> names = new TreeSet<>();
    Pattern metric = Pattern.compile("\\b((?:voicebus|jvm|process|system|kafka)_[a-z0-9_]+)\\b");
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher m = metric.matcher(target.path("expr").asText());
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  private static Set<String> sampleNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  private static String scrape(int port) throws Exception {
    var response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static void placeTheDemoCall(LocalStack stack) throws Exception {
    CallerAudio audio;
    try (InputStream in =
        ObservedCallIT.class.getClassLoader().getResourceAsStream("demo/caller.wav")) {
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
  private static Tracing tracing(String service) {
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

  private static List<SpanData> named(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  private static SpanData only(String name, String service) {
    var found =
        named(name).stream()
            .filter(s -> service.equals(s.getResource().getAttribute(SERVICE)))
            .toList();
    assertThat(found).as("%s spans of %s", name, service).hasSize(1);
    return found.get(0);
  }
}

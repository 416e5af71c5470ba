package dev.voicebus.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.analytics.config.AnalyticsConfig;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.TestTopics;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.TopicSpec;
import dev.voicebus.schemas.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two analytics instances on the embedded broker, with the call-input topics at a different
 * partition count than the output topics: calls assembled from records on all five topics are
 * answered by either instance over real sockets (the one not owning a call forwards), tenants see
 * only their own calls, usage adds up, and a live call streams its updates.
 */
@ExtendWith(KafkaClusterExtension.class)
class AnalyticsServiceIT {

  private static final String ACME = "acme-token-0123456789";
  private static final String GLOBEX = "globex-token-0123456789";
  private static final String ADMIN = "admin-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AnalyticsService> instances = new ArrayList<>();
  private KafkaCluster cluster;
  private TopicCatalogue catalogue;
  private KafkaProducer<byte[], byte[]> producer;
  private Instant t0;

  @BeforeEach
  void start(KafkaCluster cluster) throws IOException {
    this.cluster = cluster;
    this.catalogue = TestTopics.createCatalogue(cluster, 3);
    this.producer = TestTopics.bytesProducer(cluster);
    this.t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
    Path tokens = dir.resolve("tokens.json");
    Files.writeString(
        tokens,
        "{\"tokens\":[{\"token\":\""
            + ACME
            + "\",\"tenant\":\"acme\",\"profiles\":[\"*\"]},{\"token\":\""
            + GLOBEX
            + "\",\"tenant\":\"globex\",\"profiles\":[\"*\"]}]}");
    String app = "analytics-it-" + UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < 2; i++) {
      Map<String, String> settings = new HashMap<>();
      settings.put("kafka.bootstrap.servers", cluster.bootstrapServers());
      settings.put("topics.prefix", catalogue.settings().prefix());
      settings.put("topics.partitions.call-input", "3");
      settings.put("topics.partitions.output", "2");
      settings.put("analytics.host", "127.0.0.1");
      settings.put("analytics.port", "0");
      settings.put("analytics.application-id", app);
      settings.put("analytics.state-dir", dir.resolve("state-" + i).toString());
      settings.put("analytics.tokens-file", tokens.toString());
      settings.put("analytics.admin-token", ADMIN);
      settings.put("analytics.publish-interval", "200ms");
      settings.put("analytics.commit-interval", "200ms");
      settings.put("analytics.final-grace", "1s");
      var source = ConfigSource.of(settings);
      var service =
          new AnalyticsService(
              AnalyticsConfig.from(source), KafkaSettings.from(source), new SimpleMeterRegistry());
      instances.add(service);
      service.start();
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> instances.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING));
  }

  @AfterEach
  void stop() {
    instances.forEach(AnalyticsService::close);
    producer.close();
  }

  @Test
  void answersACallFromEitherInstanceAndOnlyToItsTenant() throws Exception {
    String callId = "c-" + UUID.randomUUID();
    produceWholeCall(new CallRecords(callId, "acme", t0));

    for (AnalyticsService instance : instances) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(get(instance, "/v1/calls/" + callId, ACME).path("status").asText())
                      .isEqualTo("ENDED"));
    }
    JsonNode doc = get(instances.get(0), "/v1/calls/" + callId, ACME);
    assertThat(doc.path("tenantId").asText()).isEqualTo("acme");
    assertThat(doc.path("turns")).hasSize(4);
    assertThat(doc.path("turns").get(1).path("latencyMs").asLong()).isEqualTo(500);
    assertThat(doc.path("toolCalls").get(0).path("status").asText()).isEqualTo("OK");
    assertThat(doc.path("endReason").asText()).isEqualTo("CALLER_HANGUP");

    assertThat(status(instances.get(1), "/v1/calls/" + callId, GLOBEX)).isEqualTo(404);
    assertThat(status(instances.get(1), "/v1/calls/" + callId, ADMIN)).isEqualTo(200);
    assertThat(status(instances.get(0), "/v1/calls/" + callId, null)).isEqualTo(401);
    assertThat(status(instances.get(0), "/v1/calls/" + callId, "not-a-token-at-all"))
        .isEqualTo(403);
    assertThat(status(instances.get(0), "/v1/calls/no-such-call", ACME)).isEqualTo(404);

    var published = TestTopics.readRaw(cluster, catalogue.name(Topics.CALLS_JSON), 1);
    assertThat(published).isNotEmpty();
  }

  @Test
  void listsATenantsCallsNewestFirstInPagesAndSumsItsUsage() throws Exception {
    String older = "c-old-" + UUID.randomUUID();
    String newer = "c-new-" + UUID.randomUUID();
    produceWholeCall(new CallRecords(older, "acme", t0));
    produceWholeCall(new CallRecords(newer, "acme", t0.plusSeconds(20)));
    produceWholeCall(new CallRecords("c-globex-" + UUID.randomUUID(), "globex", t0));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(get(instances.get(1), "/v1/calls?limit=10", ACME).path("calls"))
                    .hasSize(2));
    // Both calls' final documents may still be on their way to the other instance's store.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode first = get(instances.get(1), "/v1/calls?tenant=acme&limit=1", ACME);
              assertThat(first.path("calls").get(0).path("callId").asText()).isEqualTo(newer);
              String cursor = first.path("next").asText();
              JsonNode second =
                  get(instances.get(0), "/v1/calls?tenant=acme&limit=1&cursor=" + cursor, ACME);
              assertThat(second.path("calls").get(0).path("callId").asText()).isEqualTo(older);
            });
    assertThat(get(instances.get(0), "/v1/calls?limit=10", ADMIN).path("calls")).hasSize(3);
    assertThat(status(instances.get(0), "/v1/calls?tenant=globex", ACME)).isEqualTo(403);
    JsonNode bad = request(instances.get(0), "/v1/calls?from=yesterday", ACME).body();
    assertThat(bad.path("status").asInt()).isEqualTo(400);
    assertThat(bad.path("error").asText()).contains("from='yesterday' is invalid");

    String range =
        "?granularity=hour&from="
            + t0.minus(1, ChronoUnit.HOURS)
            + "&to="
            + t0.plus(1, ChronoUnit.HOURS);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode usage = get(instances.get(0), "/v1/tenants/acme/usage" + range, ACME);
              assertThat(usage.path("totals").path("calls").asLong()).isEqualTo(2);
              assertThat(usage.path("totals").path("callMs").asLong()).isEqualTo(30_000);
              assertThat(usage.path("totals").path("outputAudioTokens").asLong()).isEqualTo(400);
              assertThat(usage.path("totals").path("toolCalls").asLong()).isEqualTo(2);
              assertThat(usage.path("totals").path("turnLatencyP50Ms").asLong())
                  .isBetween(475L, 1000L);
            });
    assertThat(status(instances.get(1), "/v1/tenants/acme/usage" + range, GLOBEX)).isEqualTo(403);
    assertThat(status(instances.get(1), "/v1/tenants/acme/usage?granularity=week", ACME))
        .isEqualTo(400);
  }

  @Test
  void streamsALiveCallsUpdatesAndListsItAsLive() throws Exception {
    String callId = "c-live-" + UUID.randomUUID();
    var call = new CallRecords(callId, "acme", Instant.now());
    send(Topics.CALL_CONTROL, callId, call.started(0));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(get(instances.get(0), "/v1/calls/live", ACME).findValuesAsText("callId"))
                    .contains(callId));

    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    for (AnalyticsService instance : instances) {
      var request =
          HttpRequest.newBuilder(URI.create(base(instance) + "/v1/calls/" + callId + "/events"))
              .header("Authorization", "Bearer " + ACME)
              .build();
      http.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
          .thenAccept(response -> response.body().forEach(lines::add));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("event: call"));
    send(Topics.TRANSCRIPTS, callId, call.delta(1000, "a1", Speaker.AGENT, "Hello from the agent"));

    List<String> seen = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              lines.drainTo(seen);
              assertThat(seen.stream().filter(l -> l.contains("Hello from the agent")))
                  .hasSize(2 * 2);
            });
    JsonNode doc = get(instances.get(1), "/v1/calls/" + callId, ACME);
    assertThat(doc.path("turns").get(0).path("text").asText()).isEqualTo("Hello from the agent");
    assertThat(doc.path("turns").get(0).path("complete").asBoolean()).isFalse();
  }

  private void produceWholeCall(CallRecords call) {
    String id =
        call.started(0).getEvent() instanceof dev.voicebus.avro.CallStarted s ? s.getCallId() : "";
    send(Topics.CALL_CONTROL, id, call.started(0));
    send(Topics.SESSION_EVENTS, id, call.created(50, "sess-" + id));
    send(
        Topics.TRANSCRIPTS,
        id,
        call.callerFinal(2900, "c1", "Hi, I'd like to check on my order.", 1000, 2500));
    send(Topics.TRANSCRIPTS, id, call.delta(3000, "a1", Speaker.AGENT, "Hello,"));
    send(
        Topics.TRANSCRIPTS,
        id,
        call.agentFinal(6000, "a1", "Hello, what is your order number?", 2800, false));
    send(Topics.SESSION_EVENTS, id, call.usage(6100, 100, 200, 0.02));
    send(Topics.TOOL_CALLS, id, call.toolCall(8500, "tc-" + id));
    send(Topics.TOOL_RESULTS, id, call.toolResult(8540, "tc-" + id, ToolStatus.OK));
    send(Topics.TRANSCRIPTS, id, call.callerFinal(9100, "c2", "It's A1001.", 7000, 8000));
    send(Topics.TRANSCRIPTS, id, call.delta(9000, "a2", Speaker.AGENT, "Thanks"));
    send(Topics.TRANSCRIPTS, id, call.agentFinal(11000, "a2", "Thanks for waiting.", 3000, false));
    send(Topics.CALL_CONTROL, id, call.ended(15000, CallEndReason.CALLER_HANGUP, null));
    send(Topics.SESSION_EVENTS, id, call.summary(15100, 15000));
    producer.flush();
  }

  private <V> void send(TopicSpec<String, V> spec, String callId, V value) {
    String topic = catalogue.name(spec);
    producer.send(
        new ProducerRecord<>(
            topic,
            callId.getBytes(StandardCharsets.UTF_8),
            spec.valueSerde().serializer().serialize(topic, value)));
    producer.flush();
  }

  private static String base(AnalyticsService instance) {
    return "http://127.0.0.1:" + instance.port();
  }

  private record Answer(int status, JsonNode body) {}

  private Answer request(AnalyticsService instance, String path, String token) throws Exception {
    var builder =
        HttpRequest.newBuilder(URI.create(base(instance) + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    var response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), JSON.readTree(response.body()));
  }

  private JsonNode get(AnalyticsService instance, String path, String token) throws Exception {
    Answer answer = request(instance, path, token);
    assertThat(answer.status()).as("%s: %s", path, answer.body()).isEqualTo(200);
    return answer.body();
  }

  private int status(AnalyticsService instance, String path, String token) throws Exception {
    return request(instance, path, token).status();
  }

  static {
    TestAvro.trust();
  }
}

package dev.voicebus.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.WebhookDeadLetter;
import dev.voicebus.avro.WebhookFailure;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.TestTopics;
import dev.voicebus.schemas.dlq.DeadLetterHeaders;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.webhooks.testing.Harness;
import dev.voicebus.webhooks.testing.Receiver;
import dev.voicebus.webhooks.testing.Receiver.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-webhooks service end to end: records on the real embedded broker, deliveries to a
 * receiver over a real socket that verifies every request with the Standard Webhooks library.
 */
@ExtendWith(KafkaClusterExtension.class)
class EventWebhooksIT {

  static final String OLD = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String NEW = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private Receiver receiver;
  private Harness harness;

  @BeforeEach
  void receiver() throws IOException {
    receiver = new Receiver();
  }

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
    receiver.close();
  }

  private static String endpoint(
      String id, String tenant, String url, String secrets, String events) {
    return "  - id: %s\n    tenant: %s\n    url: \"%s\"\n    secrets: [%s]\n    events: [%s]\n"
        .formatted(id, tenant, url, secrets, events);
  }

  private Harness harness(KafkaCluster cluster, Map<String, String> extra, String... endpoints) {
    harness = new Harness(cluster, dir, "endpoints:\n" + String.join("", endpoints), extra);
    return harness;
  }

  private static String call() {
    return "call-" + UUID.randomUUID();
  }

  @Test
  void deliversSignedEventsThatVerifyWithEitherSecretDuringRotation(KafkaCluster cluster) {
    String url = receiver.endpoint("crm", List.of(OLD, NEW), r -> 204);
    var world = harness(cluster, Map.of(), endpoint("crm", "acme", url, OLD + ", " + NEW, "\"*\""));
    world.start();
    String call = call();
    world.callStarted(call, "acme");
    world.garbage(call);
    world.callEnded(call);
    world.summary(call, "acme");

    await().atMost(WAIT).until(() -> receiver.delivered("crm").size() == 3);
    List<Request> got = receiver.delivered("crm");
    assertThat(got)
        .extracting(Request::type)
        .containsExactlyInAnyOrder("call.started", "call.ended", "call.summary");
    assertThat(got.stream().map(Request::type).toList().indexOf("call.started"))
        .isLessThan(got.stream().map(Request::type).toList().indexOf("call.ended"));
    for (Request request : got) {
      assertThat(request.verifiedBySecret())
          .as("verified with the old and with the new secret")
          .containsExactly(true, true);
      assertThat(request.signature().split(" ")).hasSize(2);
      assertThat(request.webhookId()).startsWith("msg_");
      assertThat(request.callId()).isEqualTo(call);
      assertThat(request.json().path("data").path("tenantId").asText()).isEqualTo("acme");
      assertThat(request.body()).doesNotContain("+15550100999");
    }
    // The undecodable record went to the dlq topic with its reason; the call's events went on.
    var poison = TestTopics.readRaw(cluster, world.catalogue().name(Topics.DLQ), 1).get(0);
    assertThat(
            new String(
                poison.headers().lastHeader(DeadLetterHeaders.STAGE).value(),
                StandardCharsets.UTF_8))
        .isEqualTo("decode");
  }

  @Test
  void retriesAfterA500AndDeliversWithTheSameWebhookId(KafkaCluster cluster) {
    var calls = new AtomicInteger();
    String url =
        receiver.endpoint("crm", List.of(OLD), r -> calls.incrementAndGet() == 1 ? 500 : 200);
    var world = harness(cluster, Map.of(), endpoint("crm", "acme", url, OLD, "call.started"));
    world.start();
    world.callStarted(call(), "acme");

    await().atMost(WAIT).until(() -> receiver.delivered("crm").size() == 1);
    List<Request> attempts = receiver.requests("crm");
    assertThat(attempts).extracting(Request::answered).containsExactly(500, 200);
    assertThat(attempts).extracting(Request::webhookId).containsOnly(attempts.get(0).webhookId());
    assertThat(attempts).allMatch(r -> r.verifiedBySecret().equals(List.of(true)));
    assertThat(attempts.get(1).body()).isEqualTo(attempts.get(0).body());
  }

  @Test
  void deadLettersAfterTheLastRetry(KafkaCluster cluster) {
    String url = receiver.endpoint("crm", List.of(OLD), r -> 503);
    var world = harness(cluster, Map.of(), endpoint("crm", "acme", url, OLD, "call.started"));
    world.start();
    String call = call();
    world.callStarted(call, "acme");

    WebhookDeadLetter dead = world.deadLetters(1).get(0);
    List<Request> attempts = receiver.requests("crm");
    assertThat(attempts).hasSize(3).extracting(Request::answered).containsOnly(503);
    assertThat(dead.getReason()).isEqualTo(WebhookFailure.RETRIES_EXHAUSTED);
    assertThat(dead.getAttempts()).isEqualTo(3);
    assertThat(dead.getLastStatus()).isEqualTo(503);
    assertThat(dead.getLastError()).isEqualTo("HTTP 503");
    assertThat(dead.getWebhookId()).isEqualTo(attempts.get(0).webhookId());
    assertThat(dead.getPayloadJson()).isEqualTo(attempts.get(0).body());
    assertThat(dead.getEventType()).isEqualTo("call.started");
    assertThat(dead.getCallId()).isEqualTo(call);
    assertThat(dead.getTenantId()).isEqualTo("acme");
    assertThat(dead.getAgentProfile()).isEqualTo("support");
    assertThat(dead.getEndpointId()).isEqualTo("crm");
    assertThat(dead.getUrl()).endsWith("/crm").doesNotContain("token");
    assertThat(dead.getSourceTopic()).isEqualTo(world.catalogue().name(Topics.CALL_CONTROL));
    assertThat(dead.getFirstAttemptAt()).isNotNull();
  }

  @Test
  void doesNotRetryA400(KafkaCluster cluster) {
    String url = receiver.endpoint("crm", List.of(OLD), r -> 400);
    var world = harness(cluster, Map.of(), endpoint("crm", "acme", url, OLD, "call.started"));
    world.start();
    world.callStarted(call(), "acme");

    WebhookDeadLetter dead = world.deadLetters(1).get(0);
    assertThat(dead.getReason()).isEqualTo(WebhookFailure.REJECTED);
    assertThat(dead.getAttempts()).isEqualTo(1);
    assertThat(dead.getLastStatus()).isEqualTo(400);
    assertThat(receiver.requests("crm")).hasSize(1);
  }

  @Test
  void keepsEachCallsOrderPerEndpointWhileAnotherEndpointIsStuck(KafkaCluster cluster) {
    var release = new CountDownLatch(1);
    String down =
        receiver.endpoint(
            "down",
            List.of(OLD),
            r -> {
              try {
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return 503;
            });
    String ok = receiver.endpoint("ok", List.of(OLD), r -> 200);
    Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
    // Every call's first event fails once: its second event must wait for it.
    String flaky =
        receiver.endpoint("flaky", List.of(OLD), r -> failedOnce.add(r.callId()) ? 500 : 200);
    var world =
        harness(
            cluster,
            Map.of("event-webhooks.retry.max-attempts", "20", "event-webhooks.timeout", "1s"),
            endpoint("down", "acme", down, OLD, "call.started, call.ended")
                + "    maxConcurrency: 1\n",
            endpoint("ok", "acme", ok, OLD, "call.started, call.ended"),
            endpoint("flaky", "acme", flaky, OLD, "call.started, call.ended"));
    world.start();
    List<String> calls = List.of(call(), call(), call(), call(), call());
    for (String call : calls) {
      world.callStarted(call, "acme");
    }
    for (String call : calls) {
      world.callEnded(call);
    }

    await()
        .atMost(WAIT)
        .until(
            () ->
                receiver.delivered("ok").size() == 10 && receiver.delivered("flaky").size() == 10);
    assertThat(receiver.delivered("down"))
        .as("the stuck endpoint delivered nothing meanwhile")
        .isEmpty();
    for (String call : calls) {
      assertThat(typesOf(receiver.requests("ok"), call))
          .containsExactly("call.started", "call.ended");
      assertThat(typesOf(receiver.requests("flaky"), call))
          .as("call.ended only after call.started was delivered")
          .containsExactly("call.started", "call.started", "call.ended");
    }
    release.countDown();
  }

  private static List<String> typesOf(List<Request> requests, String call) {
    return requests.stream().filter(r -> r.callId().equals(call)).map(Request::type).toList();
  }

  @Test
  void sendsEachTenantOnlyItsOwnCallsEvents(KafkaCluster cluster) {
    String acme = receiver.endpoint("acme", List.of(OLD), r -> 200);
    String globex = receiver.endpoint("globex", List.of(NEW), r -> 200);
    var world =
        harness(
            cluster,
            Map.of(),
            endpoint("acme", "acme", acme, OLD, "call.started, call.ended, call.summary"),
            endpoint("globex", "globex", globex, NEW, "call.started, call.ended"));
    world.start();
    String acmeCall = call();
    String globexCall = call();
    String otherCall = call();
    world.callStarted(acmeCall, "acme");
    world.callStarted(globexCall, "globex");
    world.callStarted(otherCall, "initech");
    world.summary(globexCall, "globex");
    world.callEnded(otherCall);
    world.callEnded(globexCall);
    world.callEnded(acmeCall);

    await()
        .atMost(WAIT)
        .until(
            () ->
                receiver.delivered("acme").size() == 2 && receiver.delivered("globex").size() == 2);
    assertThat(receiver.requests("acme")).extracting(Request::callId).containsOnly(acmeCall);
    assertThat(receiver.requests("globex")).extracting(Request::callId).containsOnly(globexCall);
    assertThat(receiver.requests("globex"))
        .as("globex did not subscribe to call.summary")
        .extracting(Request::type)
        .containsExactly("call.started", "call.ended");
    assertThat(receiver.requests("globex"))
        .allMatch(r -> r.verifiedBySecret().equals(List.of(true)));
  }

  @Test
  void redeliversAfterARestartWithTheSameWebhookId(KafkaCluster cluster) {
    String url = receiver.endpoint("crm", List.of(OLD), r -> 503);
    var world =
        harness(
            cluster,
            Map.of("event-webhooks.retry.max-attempts", "100"),
            endpoint("crm", "acme", url, OLD, "call.started, call.ended"));
    world.start();
    String call = call();
    world.callStarted(call, "acme");
    await().atMost(WAIT).until(() -> receiver.requests("crm").size() >= 2);
    String id = receiver.requests("crm").get(0).webhookId();
    String body = receiver.requests("crm").get(0).body();

    world.stop();
    receiver.behave("crm", r -> 200);
    world.start();
    world.callEnded(call);

    await().atMost(WAIT).until(() -> receiver.delivered("crm").size() == 2);
    List<Request> delivered = receiver.delivered("crm");
    assertThat(delivered.get(0).webhookId()).isEqualTo(id);
    assertThat(delivered.get(0).body()).isEqualTo(body);
    assertThat(delivered.get(1).type())
        .as("the restarted instance learned the call's tenant from call.control")
        .isEqualTo("call.ended");
    assertThat(
            receiver.requests("crm").stream().map(Request::webhookId).collect(Collectors.toSet()))
        .hasSize(2);
  }

  @Test
  void aRestartedInstanceKnowsTheTenantOfACallThatStartedBeforeIt(KafkaCluster cluster)
      throws Exception {
    String url = receiver.endpoint("crm", List.of(OLD), r -> 200);
    var world =
        harness(cluster, Map.of(), endpoint("crm", "acme", url, OLD, "call.started, call.ended"));
    world.start();
    String call = call();
    world.callStarted(call, "acme");
    await().atMost(WAIT).until(() -> receiver.delivered("crm").size() == 1);
    try (var admin = Admin.create(TestTopics.clientConfig(cluster))) {
      // call.started is committed: a restart does not consume it again.
      await()
          .atMost(WAIT)
          .until(
              () ->
                  admin
                      .listConsumerGroupOffsets(world.groupId())
                      .partitionsToOffsetAndMetadata()
                      .get()
                      .entrySet()
                      .stream()
                      .anyMatch(
                          e ->
                              e.getKey().topic().equals(world.catalogue().name(Topics.CALL_CONTROL))
                                  && e.getValue().offset() > 0));
    }
    world.stop();
    world.start();
    world.callEnded(call);

    await().atMost(WAIT).until(() -> receiver.delivered("crm").size() == 2);
    assertThat(receiver.requests("crm"))
        .extracting(Request::type)
        .containsExactly("call.started", "call.ended");
    assertThat(receiver.requests("crm").get(1).json().path("data").path("agentProfile").asText())
        .isEqualTo("support");
  }

  @Test
  void shedsEventsBeyondAnEndpointsBacklogToTheDeadLetterTopic(KafkaCluster cluster) {
    var release = new CountDownLatch(1);
    String url =
        receiver.endpoint(
            "crm",
            List.of(OLD),
            r -> {
              try {
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return 200;
            });
    var world =
        harness(
            cluster,
            Map.of("event-webhooks.max-pending-per-endpoint", "1", "event-webhooks.timeout", "30s"),
            endpoint("crm", "acme", url, OLD, "call.started"));
    world.start();
    List<String> calls = List.of(call(), call(), call());
    calls.forEach(c -> world.callStarted(c, "acme"));

    List<WebhookDeadLetter> shed = world.deadLetters(2);
    assertThat(shed)
        .extracting(WebhookDeadLetter::getReason)
        .containsOnly(WebhookFailure.BACKLOG_FULL);
    assertThat(shed).extracting(WebhookDeadLetter::getAttempts).containsOnly(0);
    release.countDown();
    await().atMost(WAIT).until(() -> receiver.delivered("crm").size() == 1);
    // call.control has two partitions: which call's event came first is not fixed.
    List<String> settled =
        new ArrayList<>(shed.stream().map(WebhookDeadLetter::getCallId).toList());
    settled.add(receiver.delivered("crm").get(0).callId());
    assertThat(settled)
        .as("each event either sent or shed")
        .containsExactlyInAnyOrderElementsOf(calls);
    assertThat(receiver.requests("crm")).hasSize(1);
  }

  @Test
  void instancesInOneGroupShareThePartitionsAndDeliverEveryEvent(KafkaCluster cluster) {
    String url = receiver.endpoint("crm", List.of(OLD), r -> 200);
    var world =
        harness(cluster, Map.of(), endpoint("crm", "acme", url, OLD, "call.started, call.ended"));
    EventWebhooksService first = world.start();
    var second = new Harness(cluster, world);
    EventWebhooksService other = second.start();
    try {
      await()
          .atMost(WAIT)
          .until(
              () ->
                  assigned(first) > 0
                      && assigned(other) > 0
                      && assigned(first) + assigned(other) == 6);
      List<String> calls = List.of(call(), call(), call(), call(), call(), call());
      calls.forEach(c -> world.callStarted(c, "acme"));
      calls.forEach(world::callEnded);
      await().atMost(WAIT).until(() -> receiver.delivered("crm").size() == 12);
      for (String call : calls) {
        assertThat(typesOf(receiver.requests("crm"), call))
            .containsExactly("call.started", "call.ended");
      }
    } finally {
      second.close();
    }
  }

  private static double assigned(EventWebhooksService service) {
    var gauge =
        service.meterRegistry().find("kafka.consumer.coordinator.assigned.partitions").gauge();
    return gauge == null ? 0 : gauge.value();
  }
}

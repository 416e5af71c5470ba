package dev.voicebus.tools.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.testing.ConsumerFault;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.tools.testing.Executions;
import dev.voicebus.tools.testing.ExecutorHarness;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An Error that kills the tool call loop while the JVM stays up: the loop is restarted with
 * backoff, /healthz says why it is down meanwhile, and calls flow again once the fault is gone.
 */
@ExtendWith(KafkaClusterExtension.class)
class SupervisionIT {

  @Test
  void aLoopKilledByAnErrorIsRestartedAndHealthSaysSoWhileItIsDown(KafkaCluster cluster)
      throws Exception {
    try (var harness = new ExecutorHarness(cluster)) {
      int port;
      try (var socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Map<String, String> settings =
          harness.allSettings("supervised-1", Map.of("tool-executor.http-port", "" + port));
      settings.put("kafka.interceptor.classes", ConsumerFault.class.getName());
      var kafka = KafkaSettings.from(ConfigSource.of(new HashMap<>(settings)));
      var service =
          new ToolExecutorService(
              harness.config("supervised-1", Map.of("tool-executor.http-port", "" + port)), kafka);
      String toolCalls = harness.catalogue().name(Topics.TOOL_CALLS);
      try (service) {
        service.start();
        await().atMost(Duration.ofSeconds(30)).until(service::healthy);
        ConsumerFault.arm(toolCalls, () -> new AssertionError("poll blew up"));
        ToolCall call = ExecutorHarness.call("echo_test", "{\"text\":\"survivor\"}");
        harness.send(call);

        await().atMost(Duration.ofSeconds(30)).until(() -> service.loopRestarts() >= 2);
        HttpResponse<String> down =
            await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> healthz(port), r -> r.statusCode() == 503);
        // Down while waiting to restart, or while the replacement loop starts: the reason is given.
        assertThat(down.body()).startsWith("down: ").contains("AssertionError: poll blew up");
        assertThat(Executions.of(call.getToolCallId())).isZero();

        ConsumerFault.disarm(toolCalls);
        var result =
            await()
                .atMost(Duration.ofSeconds(60))
                .pollInSameThread()
                .until(() -> harness.committedResults(call.getToolCallId()), r -> !r.isEmpty());
        assertThat(result.get(0).getStatus()).isEqualTo(ToolStatus.OK);
        await().atMost(Duration.ofSeconds(30)).until(() -> healthz(port).statusCode() == 200);
        assertThat(ConsumerFault.thrown(toolCalls)).isGreaterThanOrEqualTo(2);
      } finally {
        ConsumerFault.disarm(toolCalls);
      }
    }
  }

  private static HttpResponse<String> healthz(int port) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}

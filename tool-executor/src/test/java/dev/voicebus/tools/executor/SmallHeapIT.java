package dev.voicebus.tools.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.dlq.DeadLetterHeaders;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.testing.PoisonRecords;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.tools.testing.ExecutorHarness;
import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.SystemLimitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The issue-13 OOM record against a real executor process with a 128 MB heap that exits on the
 * first OutOfMemoryError: a ToolCall declaring a 1.5 GB string is dead-lettered and the next call
 * is answered. Avro's own string limit is switched off in that JVM (set to its 2 GiB maximum), so
 * only the serde's bound (a declared length must fit in the bytes left) stands between the record
 * and the allocation.
 */
@ExtendWith(KafkaClusterExtension.class)
class SmallHeapIT {

  @Test
  void aToolCallDeclaringA15GbStringIsDeadLetteredByAnExecutorWithA128MbHeap(KafkaCluster cluster)
      throws Exception {
    try (var harness = new ExecutorHarness(cluster)) {
      int httpPort;
      try (var socket = new ServerSocket(0)) {
        httpPort = socket.getLocalPort();
      }
      Map<String, String> settings =
          harness.allSettings(
              "small-heap-1",
              Map.of(
                  "tool-executor.http-port",
                  String.valueOf(httpPort),
                  "tool-executor.threads",
                  "2"));
      Process executor = start(settings);
      try {
        HttpClient http = HttpClient.newHttpClient();
        var healthz =
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/healthz"));
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(
                () ->
                    http.send(healthz.build(), HttpResponse.BodyHandlers.ofString()).statusCode()
                        == 200);

        String callId = "call-oom-" + System.nanoTime();
        Instant deadline = Instant.now().plusSeconds(60);
        ToolCall sample = ExecutorHarness.call(callId, "echo_test", "{\"text\":\"x\"}", deadline);
        byte[] poison =
            PoisonRecords.declaredLength(
                AvroSerde.of(ToolCall.class).encode(sample),
                callId,
                PoisonRecords.HUGE_DECLARED_LENGTH);
        harness.sendRaw(callId, poison);
        ToolCall after =
            ExecutorHarness.call(callId, "echo_test", "{\"text\":\"after\"}", deadline);
        harness.send(after);

        List<ToolResult> results =
            await()
                .atMost(Duration.ofSeconds(60))
                .pollInSameThread()
                .until(() -> harness.committedResults(after.getToolCallId()), r -> !r.isEmpty());
        assertThat(results.get(0).getStatus()).isEqualTo(ToolStatus.OK);
        var dead =
            harness.deadLetters().stream()
                .filter(
                    d ->
                        new String(
                                d.headers().lastHeader(DeadLetterHeaders.TOPIC).value(),
                                StandardCharsets.UTF_8)
                            .equals(harness.catalogue().name(Topics.TOOL_CALLS)))
                .toList();
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).headers().lastHeader(DeadLetterHeaders.ERROR).value()))
            .contains("Attempted to read 1500000000 bytes");
        assertThat(executor.isAlive()).as("the 128 MB executor is still running").isTrue();
        assertThat(http.send(healthz.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
            .isEqualTo(200);
      } finally {
        executor.destroy();
        if (!executor.waitFor(30, TimeUnit.SECONDS)) {
          executor.destroyForcibly();
        }
      }
    }
  }

  private static Process start(Map<String, String> settings) throws IOException {
    Path file = Files.createTempFile("small-heap-executor-", ".properties");
    var properties = new Properties();
    properties.putAll(settings);
    try (Writer out = Files.newBufferedWriter(file)) {
      properties.store(out, "tool executor with a small heap");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-Xmx128m",
            "-XX:+ExitOnOutOfMemoryError",
            "-D" + SystemLimitException.MAX_STRING_LENGTH_PROPERTY + "=" + (Integer.MAX_VALUE - 8),
            "-cp",
            System.getProperty("java.class.path"),
            ToolExecutorMain.class.getName(),
            file.toString())
        .redirectErrorStream(true)
        .redirectOutput(Path.of("target", "small-heap-executor.log").toFile())
        .start();
  }
}

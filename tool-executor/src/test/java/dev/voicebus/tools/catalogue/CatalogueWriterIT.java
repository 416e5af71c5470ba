package dev.voicebus.tools.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.tools.executor.ToolExecutorService;
import dev.voicebus.tools.testing.CatalogueReader;
import dev.voicebus.tools.testing.ExecutorHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several executor instances, one catalogue: exactly one instance writes it, instances with the
 * same tools add nothing when they join, and when the writer stops another takes over and makes the
 * topic match its own tools (a tool only the old writer had is removed).
 */
@ExtendWith(KafkaClusterExtension.class)
class CatalogueWriterIT {

  @Test
  void oneInstanceWritesAndTheNextTakesOverWithItsOwnView(KafkaCluster cluster) throws Exception {
    try (var harness = new ExecutorHarness(cluster)) {
      String topic = harness.catalogue().name(Topics.TOOL_CATALOGUE);
      ToolExecutorService first =
          harness.start(
              harness.config(
                  "writer-1",
                  Map.of(
                      "tools.webhook.only_on_first.url",
                      "http://127.0.0.1:9/x",
                      "tools.webhook.only_on_first.secret",
                      dev.voicebus.tools.testing.Secrets.whsec('f'))));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> CatalogueReader.read(harness).containsKey("only_on_first"));
      int recordsBefore = harness.readAll(topic).size();

      ToolExecutorService second = harness.start(harness.config("writer-2", Map.of()));
      List<ToolExecutorService> both = List.of(first, second);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> both.stream().filter(ToolExecutorService::writesCatalogue).count() == 1);
      ToolExecutorService writer = first.writesCatalogue() ? first : second;
      ToolExecutorService other = writer == first ? second : first;

      writer.close();
      await().atMost(Duration.ofSeconds(60)).until(other::writesCatalogue);
      var catalogue =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> CatalogueReader.read(harness),
                  c ->
                      c.containsKey("only_on_first") == (other == first)
                          && c.containsKey("lookup_order"));
      assertThat(catalogue).containsKeys("lookup_order", "end_call", "echo_test");
      // The built-in tools were written once: taking over rewrote only what differed.
      long builtinRecords =
          harness.readAll(topic).stream()
              .filter(
                  r ->
                      new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)
                          .equals("lookup_order"))
              .count();
      assertThat(builtinRecords).isEqualTo(1);
      assertThat(recordsBefore).isPositive();
    }
  }
}

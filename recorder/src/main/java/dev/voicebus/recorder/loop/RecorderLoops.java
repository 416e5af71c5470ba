package dev.voicebus.recorder.loop;

import dev.voicebus.recorder.config.RecorderConfig;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/** Builds {@link RecorderLoop}s and checks what they rely on. */
public final class RecorderLoops {

  private RecorderLoops() {}

  /** A fresh loop with its own call table (a replaced loop's calls are read again from Kafka). */
  public static RecorderLoop loop(
      LoopClients clients,
      LoopSettings settings,
      RecorderConfig config,
      Finaliser finaliser,
      RecorderMetrics metrics) {
    return new RecorderLoop(
        clients, settings, new CallTable(config, finaliser, metrics, System::nanoTime), metrics);
  }

  public static LoopSettings settings(TopicCatalogue catalogue, RecorderConfig config) {
    return new LoopSettings(
        catalogue.name(Topics.CALL_CONTROL),
        catalogue.name(Topics.AUDIO_IN),
        catalogue.name(Topics.TOOL_RESULTS),
        catalogue.name(Topics.AUDIO_OUT),
        Duration.ofSeconds(1),
        config.startAt());
  }

  /**
   * Fails unless call.control, audio.in and tool.results have the same partition count: the
   * recorder gets a call's records from the same partition number of each.
   */
  public static void requireCoPartitioned(
      KafkaSettings kafka, TopicCatalogue catalogue, Duration timeout) {
    List<String> names =
        List.of(
            catalogue.name(Topics.CALL_CONTROL),
            catalogue.name(Topics.AUDIO_IN),
            catalogue.name(Topics.TOOL_RESULTS));
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      Map<String, TopicDescription> topics =
          admin
              .describeTopics(names)
              .allTopicNames()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      long counts =
          topics.values().stream().mapToInt(t -> t.partitions().size()).distinct().count();
      if (counts != 1) {
        StringBuilder found = new StringBuilder();
        topics.forEach(
            (name, t) -> found.append(' ').append(name).append('=').append(t.partitions().size()));
        throw new IllegalStateException(
            "The recorder needs call.control, audio.in and tool.results with the same partition"
                + " count; found"
                + found
                + ". Recreate them with topics.partitions.call-input partitions");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking the input topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Cannot describe the recorder's input topics " + names + ": " + e.getMessage(), e);
    }
  }
}

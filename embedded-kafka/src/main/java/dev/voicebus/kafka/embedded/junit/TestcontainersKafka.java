package dev.voicebus.kafka.embedded.junit;

import dev.voicebus.kafka.embedded.KafkaCluster;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Apache Kafka's official image in KRaft mode under Testcontainers, for machines with a Docker
 * engine. Chosen with {@code -Dvoicebus.test.kafka=testcontainers}; without Docker it fails with a
 * message that says so instead of hanging.
 */
final class TestcontainersKafka implements KafkaCluster {

  static final String IMAGE = "apache/kafka:4.4.0";

  private final KafkaContainer container;

  private TestcontainersKafka(KafkaContainer container) {
    this.container = container;
  }

  static TestcontainersKafka start() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      throw new IllegalStateException(
          "voicebus.test.kafka=testcontainers needs a Docker engine, and none is reachable here;"
              + " run without it to use the embedded KRaft broker");
    }
    var container = new KafkaContainer(IMAGE);
    container.start();
    return new TestcontainersKafka(container);
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public void close() {
    container.stop();
  }
}

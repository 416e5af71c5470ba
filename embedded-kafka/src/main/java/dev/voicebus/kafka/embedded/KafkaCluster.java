package dev.voicebus.kafka.embedded;

/**
 * A running Kafka cluster that clients can reach. Implemented by the embedded KRaft broker and, on
 * machines with Docker, by Testcontainers' Kafka, so tests and dev mode do not care which one runs.
 */
public interface KafkaCluster extends AutoCloseable {

  /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:39092}. */
  String bootstrapServers();

  @Override
  void close();
}

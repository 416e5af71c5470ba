package dev.voicebus.kafka.embedded.junit;

import dev.voicebus.kafka.embedded.EmbeddedKafkaBroker;
import dev.voicebus.kafka.embedded.KafkaCluster;
import java.util.Locale;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a running Kafka cluster as a {@link KafkaCluster} parameter. One cluster is shared
 * by every test class in the test JVM (tests own their topics and call ids), and it is closed when
 * the JVM's tests finish. The embedded KRaft broker is the default; set the system property or
 * environment variable {@code voicebus.test.kafka} / {@code VOICEBUS_TEST_KAFKA} to {@code
 * testcontainers} to run against Testcontainers' Kafka on a machine with Docker.
 */
public final class KafkaClusterExtension implements ParameterResolver {

  /**
   * System property that selects the cluster kind: {@code embedded} (default) or {@code
   * testcontainers}.
   */
  public static final String KIND_PROPERTY = "voicebus.test.kafka";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "cluster", key -> new ClosingCluster(startCluster()), ClosingCluster.class)
        .cluster();
  }

  /** Starts the cluster kind chosen by {@link #KIND_PROPERTY}. */
  public static KafkaCluster startCluster() {
    String kind =
        System.getProperty(
            KIND_PROPERTY, System.getenv().getOrDefault("VOICEBUS_TEST_KAFKA", "embedded"));
    return switch (kind.toLowerCase(Locale.ROOT)) {
      case "embedded" -> EmbeddedKafkaBroker.start();
      case "testcontainers" -> TestcontainersKafka.start();
      default ->
          throw new IllegalArgumentException(
              KIND_PROPERTY
                  + "="
                  + kind
                  + " is not a cluster kind; use 'embedded' or 'testcontainers'");
    };
  }

  /** Lets JUnit close the shared cluster when the root context ends. */
  private record ClosingCluster(KafkaCluster cluster) implements AutoCloseable {
    @Override
    public void close() {
      cluster.close();
    }
  }
}

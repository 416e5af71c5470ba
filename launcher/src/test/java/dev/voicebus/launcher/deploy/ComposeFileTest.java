package dev.voicebus.launcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.ingest.config.IngestConfig;
import dev.voicebus.launcher.deploy.DeployFiles.JibImage;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.recorder.config.RecorderConfig;
import dev.voicebus.recorder.config.RecorderConfigReader;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.tools.config.ToolExecutorConfig;
import dev.voicebus.tools.config.ToolExecutorConfigReader;
import dev.voicebus.webhooks.config.EventWebhooksConfig;
import dev.voicebus.worker.config.WorkerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps docker-compose.yml honest without Docker: every Voicebus container runs an image some
 * module builds with Jib, every {@code VOICEBUS_*}/{@code SANDBOX_*} variable is read by the
 * service's real config reader (probed by changing it), Kafka and Realtime addresses point at the
 * compose services, and health checks and published ports match the configured ports.
 */
class ComposeFileTest {

  private static final Map<String, Function<Map<String, String>, Object>> READERS =
      ServiceSettings.READERS;

  private static JsonNode services;
  private static List<JibImage> images;
  private static Map<String, JibImage> imageByService;

  @BeforeAll
  static void load() throws Exception {
    services = DeployFiles.compose().path("services");
    images = DeployFiles.jibImages();
    imageByService = new LinkedHashMap<>();
    services
        .fields()
        .forEachRemaining(
            e -> {
              String image = DeployFiles.interpolate(e.getValue().path("image").asText());
              images.stream()
                  .filter(i -> i.image().equals(image))
                  .findFirst()
                  .ifPresent(i -> imageByService.put(e.getKey(), i));
            });
  }

  @Test
  void everyServiceModuleHasAJibImageThatIsNotBoundToTheBuild() {
    assertThat(images)
        .extracting(JibImage::module)
        .containsExactlyInAnyOrderElementsOf(READERS.keySet());
    for (JibImage image : images) {
      assertThat(image.image()).startsWith("voicebus/" + image.module() + ":");
      assertThat(image.hasExecutions()).as("%s binds Jib to a phase", image.module()).isFalse();
      assertThat(classExists(image.mainClass())).as(image.mainClass()).isTrue();
    }
  }

  @Test
  void everyVoicebusContainerRunsAJibImageAndEveryImageIsDeployed() {
    services
        .fields()
        .forEachRemaining(
            e -> {
              String image = DeployFiles.interpolate(e.getValue().path("image").asText());
              if (image.startsWith("voicebus/")) {
                assertThat(imageByService)
                    .as("%s runs %s", e.getKey(), image)
                    .containsKey(e.getKey());
              } else {
                assertThat(image).as(e.getKey()).startsWith("apache/kafka:");
              }
            });
    assertThat(imageByService.values()).containsExactlyInAnyOrderElementsOf(images);
  }

  @Test
  void kafkaImageMatchesTheClientVersionAndServicesBootstrapFromTheKafkaService() {
    String kafkaImage = services.path("kafka").path("image").asText();
    assertThat(kafkaImage).isEqualTo("apache/kafka:" + kafkaClientVersion());
    String advertised =
        DeployFiles.environment(services.path("kafka")).get("KAFKA_ADVERTISED_LISTENERS");
    Set<String> inNetwork = new HashSet<>();
    for (String listener : advertised.split(",")) {
      inNetwork.add(listener.substring(listener.indexOf("://") + 3));
    }
    for (String service : kafkaClients()) {
      Map<String, String> env = DeployFiles.environment(services.path(service));
      String servers = KafkaSettings.from(ConfigSource.of(Map.of(), env)).bootstrapServers();
      assertThat(servers).as(service).startsWith("kafka:").isIn(inNetwork);
      assertThat(dependsOnHealthy(service, "kafka")).as(service + " waits for kafka").isTrue();
    }
  }

  @Test
  void everyServiceVariableIsReadByTheService() {
    imageByService.forEach(
        (service, image) -> {
          Map<String, String> env = DeployFiles.environment(services.path(service));
          Function<Map<String, String>, Object> reader = READERS.get(image.module());
          assertThat(reader.apply(env))
              .as("%s config is stable", service)
              .isEqualTo(reader.apply(env));
          for (String name : env.keySet()) {
            assertThat(name).as(service).matches("(VOICEBUS|SANDBOX)_[A-Z0-9_]+");
            assertThat(ServiceSettings.isRead(reader, env, name))
                .as("%s reads %s", service, name)
                .isTrue();
          }
        });
  }

  @Test
  void kafkaPassThroughVariablesAreRealKafkaClientSettings() {
    Set<String> known = new HashSet<>();
    known.addAll(ProducerConfig.configNames());
    known.addAll(ConsumerConfig.configNames());
    known.addAll(AdminClientConfig.configNames());
    known.addAll(StreamsConfig.configDef().names());
    for (String service : kafkaClients()) {
      for (String name : DeployFiles.environment(services.path(service)).keySet()) {
        if (name.startsWith("VOICEBUS_KAFKA_")) {
          String key = name.substring("VOICEBUS_KAFKA_".length()).toLowerCase().replace('_', '.');
          assertThat(known).as("%s: %s", service, name).contains(key);
        }
      }
    }
  }

  @Test
  void everyVoicebusVariableIsDocumentedInAReadmeSettingsTable() throws Exception {
    Set<String> documented = ReadmeSettings.envNames(DeployFiles.root());
    assertThat(documented).contains("VOICEBUS_INGEST_ADMIN_PORT", "VOICEBUS_WORKER_REALTIME_URL");
    for (String service : kafkaClients()) {
      for (String name : DeployFiles.environment(services.path(service)).keySet()) {
        boolean passThrough = name.startsWith("VOICEBUS_KAFKA_");
        assertThat(passThrough || documented.contains(name)).as("%s: %s", service, name).isTrue();
      }
    }
  }

  @Test
  void workerReachesTheSandboxOnItsConfiguredPort() {
    Map<String, String> workerEnv =
        DeployFiles.environment(services.path(serviceOf("session-worker")));
    URI realtime = WorkerConfig.from(ConfigSource.of(Map.of(), workerEnv)).realtimeUri();
    String recorder = serviceOf("recorder");
    RecorderConfig recorderConfig =
        RecorderConfigReader.read(
            ConfigSource.of(Map.of(), DeployFiles.environment(services.path(recorder))));
    assertThat(healthCheck(recorder))
        .contains("/dev/tcp/127.0.0.1/" + recorderConfig.adminPort() + " ")
        .contains("GET /readyz ");
    assertThat(imageByService.get(recorder).ports()).containsExactly(recorderConfig.adminPort());
    String sandbox = serviceOf("realtime-sandbox");
    SandboxConfig sandboxConfig =
        SandboxConfig.fromEnv(DeployFiles.environment(services.path(sandbox)));
    assertThat(realtime.getHost()).isEqualTo(sandbox);
    assertThat(realtime.getPort()).isEqualTo(sandboxConfig.port());
    assertThat(realtime.getPath()).isEqualTo("/v1");
    assertThat(sandboxConfig.host()).isEqualTo("0.0.0.0");
    assertThat(imageByService.get(sandbox).ports()).contains(sandboxConfig.port());
    assertThat(dependsOnHealthy(serviceOf("session-worker"), sandbox)).isTrue();
  }

  @Test
  void healthChecksAndPublishedPortsMatchTheConfiguredPorts() {
    String ingest = serviceOf("ingest");
    Map<String, String> ingestEnv = DeployFiles.environment(services.path(ingest));
    IngestConfig.Listen listen = IngestConfig.from(ConfigSource.of(Map.of(), ingestEnv)).listen();
    assertThat(healthCheck(ingest)).contains("/dev/tcp/127.0.0.1/" + listen.adminPort() + " ");
    assertThat(healthCheck(ingest)).contains("GET /readyz ");
    assertThat(published(ingest))
        .containsExactlyInAnyOrder(listen.port(), listen.adminPort())
        .containsExactlyInAnyOrderElementsOf(imageByService.get(ingest).ports());
    String executor = serviceOf("tool-executor");
    ToolExecutorConfig tools =
        ToolExecutorConfigReader.read(
            ConfigSource.of(Map.of(), DeployFiles.environment(services.path(executor))));
    assertThat(healthCheck(executor)).contains("/dev/tcp/127.0.0.1/" + tools.httpPort() + " ");
    assertThat(imageByService.get(executor).ports()).containsExactly(tools.httpPort());
    String worker = serviceOf("session-worker");
    WorkerConfig workerConfig =
        WorkerConfig.from(
            ConfigSource.of(Map.of(), DeployFiles.environment(services.path(worker))));
    assertThat(healthCheck(worker))
        .contains("/dev/tcp/127.0.0.1/" + workerConfig.adminPort() + " ")
        .contains("GET /readyz ");
    assertThat(imageByService.get(worker).ports()).containsExactly(workerConfig.adminPort());
    assertThat(published(worker)).as("scalable: no fixed host ports").isEmpty();
    assertThat(healthCheck(executor)).contains("GET /readyz ");
    String recorder = serviceOf("recorder");
    RecorderConfig recorderConfig =
        RecorderConfigReader.read(
            ConfigSource.of(Map.of(), DeployFiles.environment(services.path(recorder))));
    assertThat(healthCheck(recorder))
        .contains("/dev/tcp/127.0.0.1/" + recorderConfig.adminPort() + " ")
        .contains("GET /readyz ");
    assertThat(imageByService.get(recorder).ports()).containsExactly(recorderConfig.adminPort());
    String webhooks = serviceOf("event-webhooks");
    int webhooksAdmin =
        EventWebhooksConfig.settings(
                ConfigSource.of(Map.of(), DeployFiles.environment(services.path(webhooks))))
            .adminPort();
    assertThat(healthCheck(webhooks))
        .contains("/dev/tcp/127.0.0.1/" + webhooksAdmin + " ")
        .contains("GET /readyz ");
    assertThat(imageByService.get(webhooks).ports()).containsExactly(webhooksAdmin);
    String sandbox = serviceOf("realtime-sandbox");
    SandboxConfig sandboxConfig =
        SandboxConfig.fromEnv(DeployFiles.environment(services.path(sandbox)));
    assertThat(healthCheck(sandbox))
        .contains("/dev/tcp/127.0.0.1/" + sandboxConfig.port() + " ")
        .contains("GET /healthz ");
  }

  @Test
  void onlyTheAuthenticatedCallPortIsPublishedBeyondThisHost() {
    String ingest = serviceOf("ingest");
    IngestConfig.Listen listen =
        IngestConfig.from(ConfigSource.of(Map.of(), DeployFiles.environment(services.path(ingest))))
            .listen();
    Map<Integer, String> ingestPorts = publishedOn(ingest);
    assertThat(ingestPorts).containsEntry(listen.adminPort(), "127.0.0.1");
    assertThat(ingestPorts).containsEntry(listen.port(), "0.0.0.0");
    Map<Integer, String> kafkaPorts = publishedOn("kafka");
    assertThat(kafkaPorts).isNotEmpty();
    assertThat(kafkaPorts.values())
        .as("Kafka (no TLS, no SASL) on loopback only")
        .containsOnly("127.0.0.1");
    services
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getKey().equals(ingest) && !e.getKey().equals("kafka")) {
                assertThat(publishedOn(e.getKey())).as(e.getKey()).isEmpty();
              }
            });
  }

  @Test
  void everyServiceHasAHealthCheckAndStopsWithinAGracePeriodLongerThanItsDrain() {
    services
        .fields()
        .forEachRemaining(
            e -> assertThat(healthCheck(e.getKey()).strip()).as(e.getKey()).isNotEmpty());
    imageByService.forEach(
        (service, image) -> {
          Duration drain =
              ServiceSettings.drain(
                  image.module(), DeployFiles.environment(services.path(service)));
          String grace = services.path(service).path("stop_grace_period").asText();
          assertThat(grace).as("%s stop_grace_period", service).isNotEmpty();
          assertThat(ConfigSource.parseDuration(service + " stop_grace_period", grace))
              .as("%s stop_grace_period vs its drain of %s", service, drain)
              .isGreaterThan(drain);
        });
  }

  private static List<String> kafkaClients() {
    List<String> clients = new ArrayList<>();
    imageByService.forEach(
        (service, image) -> {
          if (!image.module().equals("realtime-sandbox")) {
            clients.add(service);
          }
        });
    assertThat(clients).hasSize(5);
    return clients;
  }

  private static String serviceOf(String module) {
    return imageByService.entrySet().stream()
        .filter(e -> e.getValue().module().equals(module))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no compose service runs " + module));
  }

  private static boolean dependsOnHealthy(String service, String dependency) {
    return services
        .path(service)
        .path("depends_on")
        .path(dependency)
        .path("condition")
        .asText()
        .equals("service_healthy");
  }

  private static String healthCheck(String service) {
    List<String> parts = new ArrayList<>();
    services.path(service).path("healthcheck").path("test").forEach(n -> parts.add(n.asText()));
    return String.join(" ", parts) + " ";
  }

  private static List<Integer> published(String service) {
    List<Integer> ports = new ArrayList<>();
    publishedOn(service).forEach((port, ip) -> ports.add(port));
    return ports;
  }

  /** Container port -> host address it is published on ({@code 0.0.0.0} when none is given). */
  private static Map<Integer, String> publishedOn(String service) {
    Map<Integer, String> ports = new LinkedHashMap<>();
    for (JsonNode port : services.path(service).path("ports")) {
      String[] parts = port.asText().split(":");
      assertThat(parts.length)
          .as("%s publishes %s as [ip:]host:container", service, port)
          .isIn(2, 3);
      String ip = parts.length == 3 ? parts[0] : "0.0.0.0";
      String host = parts[parts.length - 2];
      String container = parts[parts.length - 1];
      assertThat(host).as("%s publishes %s on the same port", service, port).isEqualTo(container);
      ports.put(Integer.parseInt(container), ip);
    }
    return ports;
  }

  private static String kafkaClientVersion() {
    try {
      return DeployFiles.rootProperty("kafka.version");
    } catch (Exception e) {
      throw new AssertionError("cannot read kafka.version from the root pom", e);
    }
  }

  private static boolean classExists(String name) {
    try {
      Class.forName(name, false, ComposeFileTest.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}

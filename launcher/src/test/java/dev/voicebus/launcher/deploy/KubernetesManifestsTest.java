package dev.voicebus.launcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.voicebus.ingest.config.IngestConfig;
import dev.voicebus.launcher.deploy.DeployFiles.JibImage;
import dev.voicebus.recorder.config.RecorderConfigReader;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.tools.config.ToolExecutorConfig;
import dev.voicebus.tools.config.ToolExecutorConfigReader;
import dev.voicebus.webhooks.config.EventWebhooksConfig;
import dev.voicebus.worker.config.WorkerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps deploy/k8s honest without a cluster: each workload runs an image a module builds, every
 * {@code VOICEBUS_*} variable it gets (its own, and the shared ConfigMap's) is read by that
 * service's settings reader, container ports, probes and Services match the configured ports and
 * the health endpoints, grace periods exceed each service's drain, secrets come from Secret
 * objects, and the reply partition, transactional id and autoscaling are wired as designed.
 */
class KubernetesManifestsTest {

  private static final Map<String, String> POD_FIELDS =
      Map.of(
          "metadata.name", "voicebus-tool-executor-0",
          "metadata.labels['apps.kubernetes.io/pod-index']", "0");

  private static Path dir;
  private static List<JsonNode> objects;
  private static List<JibImage> images;

  @BeforeAll
  static void load() throws Exception {
    dir = DeployFiles.root().resolve("deploy/k8s");
    objects = new ArrayList<>();
    for (String file : kustomizationResources(dir)) {
      objects.addAll(documents(dir.resolve(file)));
    }
    images = DeployFiles.jibImages();
  }

  private static List<String> kustomizationResources(Path kustomizationDir) throws IOException {
    List<String> resources = new ArrayList<>();
    documents(kustomizationDir.resolve("kustomization.yaml"))
        .get(0)
        .path("resources")
        .forEach(r -> resources.add(r.asText()));
    return resources;
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    try (var values =
        new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(file.toFile())) {
      List<JsonNode> docs = new ArrayList<>();
      values.forEachRemaining(n -> docs.add((JsonNode) n));
      return docs;
    }
  }

  private static JsonNode object(String kind, String name) {
    return objects.stream()
        .filter(o -> o.path("kind").asText().equals(kind))
        .filter(o -> o.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in deploy/k8s"));
  }

  private static Stream<JsonNode> workloads() {
    return objects.stream()
        .filter(o -> Set.of("Deployment", "StatefulSet").contains(o.path("kind").asText()));
  }

  private static JsonNode container(JsonNode workload) {
    JsonNode containers = workload.path("spec").path("template").path("spec").path("containers");
    assertThat(containers.size()).as(name(workload)).isEqualTo(1);
    return containers.get(0);
  }

  private static String name(JsonNode o) {
    return o.path("metadata").path("name").asText();
  }

  private static JibImage image(JsonNode workload) {
    String image = container(workload).path("image").asText();
    return images.stream()
        .filter(i -> i.image().equals(image))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name(workload) + " runs " + image));
  }

  /** The workload's environment as the pod sees it: ConfigMaps, then its own entries. */
  private static Map<String, String> environment(JsonNode workload) {
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode c = container(workload);
    for (JsonNode from : c.path("envFrom")) {
      String map = from.path("configMapRef").path("name").asText();
      object("ConfigMap", map)
          .path("data")
          .fields()
          .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    }
    for (JsonNode e : c.path("env")) {
      JsonNode valueFrom = e.path("valueFrom");
      String value;
      if (valueFrom.has("secretKeyRef")) {
        value = "secret-" + valueFrom.path("secretKeyRef").path("key").asText();
      } else if (valueFrom.has("fieldRef")) {
        value = POD_FIELDS.get(valueFrom.path("fieldRef").path("fieldPath").asText());
        assertThat(value).as("%s: %s", name(workload), e).isNotNull();
      } else {
        value = e.path("value").asText();
      }
      env.put(e.path("name").asText(), value);
    }
    return env;
  }

  private static JsonNode env(JsonNode workload, String name) {
    for (JsonNode e : container(workload).path("env")) {
      if (e.path("name").asText().equals(name)) {
        return e;
      }
    }
    throw new AssertionError(name(workload) + " has no env " + name);
  }

  private static int containerPort(JsonNode workload, String portName) {
    for (JsonNode p : container(workload).path("ports")) {
      if (p.path("name").asText().equals(portName)) {
        return p.path("containerPort").asInt();
      }
    }
    throw new AssertionError(name(workload) + " has no port named " + portName);
  }

  /** The container port a probe (or Service target) names, by name or number. */
  private static int resolvePort(JsonNode workload, JsonNode port) {
    return port.isInt() ? port.asInt() : containerPort(workload, port.asText());
  }

  @Test
  void kustomizationListsEveryManifestAndKedaAddsOnlyTheScaledObject() throws Exception {
    try (var files = Files.list(dir)) {
      List<String> yaml =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml"))
              .filter(n -> !n.equals("kustomization.yaml") && !n.equals("secrets.example.yaml"))
              .toList();
      assertThat(kustomizationResources(dir)).containsExactlyInAnyOrderElementsOf(yaml);
    }
    assertThat(kustomizationResources(dir.resolve("keda")))
        .containsExactly("..", "worker-scaledobject.yaml");
    assertThat(objects).noneMatch(o -> o.path("kind").asText().equals("Secret"));
  }

  @Test
  void everyServiceModuleIsDeployedAndEveryVariableIsReadByItsService() {
    List<String> modules = workloads().map(w -> image(w).module()).toList();
    assertThat(modules)
        .containsExactlyInAnyOrder(
            "ingest", "session-worker", "tool-executor", "recorder", "event-webhooks");
    workloads()
        .forEach(
            w -> {
              var reader = ServiceSettings.READERS.get(image(w).module());
              Map<String, String> env = environment(w);
              assertThat(reader.apply(env)).as(name(w)).isEqualTo(reader.apply(env));
              for (String variable : env.keySet()) {
                assertThat(variable).as(name(w)).matches("VOICEBUS_[A-Z0-9_]+");
                assertThat(ServiceSettings.isRead(reader, env, variable))
                    .as("%s reads %s", name(w), variable)
                    .isTrue();
              }
            });
  }

  @Test
  void everyVoicebusVariableIsDocumentedInAReadmeSettingsTable() throws Exception {
    Set<String> documented = ReadmeSettings.envNames(DeployFiles.root());
    workloads()
        .forEach(
            w ->
                environment(w).keySet().stream()
                    .filter(
                        v -> !v.startsWith("VOICEBUS_KAFKA_") || v.endsWith("BOOTSTRAP_SERVERS"))
                    .forEach(v -> assertThat(documented).as("%s: %s", name(w), v).contains(v)));
  }

  @Test
  void portsProbesAndServicesMatchTheConfiguredPortsAndHealthEndpoints() {
    Map<String, Integer> adminPorts = new HashMap<>();
    JsonNode ingest = object("StatefulSet", "voicebus-ingest");
    IngestConfig.Listen listen =
        IngestConfig.from(ConfigSource.of(Map.of(), environment(ingest))).listen();
    assertThat(containerPort(ingest, "calls")).isEqualTo(listen.port());
    adminPorts.put("voicebus-ingest", listen.adminPort());
    JsonNode worker = object("Deployment", "voicebus-worker");
    adminPorts.put(
        "voicebus-worker",
        WorkerConfig.from(ConfigSource.of(Map.of(), environment(worker))).adminPort());
    JsonNode tools = object("StatefulSet", "voicebus-tool-executor");
    ToolExecutorConfig toolsConfig =
        ToolExecutorConfigReader.read(ConfigSource.of(Map.of(), environment(tools)));
    adminPorts.put("voicebus-tool-executor", toolsConfig.httpPort());
    JsonNode recorder = object("Deployment", "voicebus-recorder");
    adminPorts.put(
        "voicebus-recorder",
        RecorderConfigReader.read(ConfigSource.of(Map.of(), environment(recorder))).adminPort());
    JsonNode webhooks = object("Deployment", "voicebus-event-webhooks");
    adminPorts.put(
        "voicebus-event-webhooks",
        EventWebhooksConfig.settings(ConfigSource.of(Map.of(), environment(webhooks))).adminPort());

    workloads()
        .forEach(
            w -> {
              int admin = adminPorts.get(name(w));
              assertThat(containerPort(w, "admin")).as(name(w)).isEqualTo(admin);
              assertThat(image(w).ports()).as(name(w)).contains(admin);
              JsonNode c = container(w);
              for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                JsonNode get = c.path(probe).path("httpGet");
                assertThat(resolvePort(w, get.path("port")))
                    .as("%s %s", name(w), probe)
                    .isEqualTo(admin);
                assertThat(get.path("path").asText())
                    .as("%s %s", name(w), probe)
                    .isEqualTo(probe.equals("livenessProbe") ? "/healthz" : "/readyz");
              }
              JsonNode annotations =
                  w.path("spec").path("template").path("metadata").path("annotations");
              assertThat(annotations.path("prometheus.io/port").asText())
                  .isEqualTo(String.valueOf(admin));
              assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");
            });

    objects.stream()
        .filter(o -> o.path("kind").asText().equals("Service"))
        .forEach(
            service -> {
              JsonNode selector = service.path("spec").path("selector");
              JsonNode target =
                  workloads()
                      .filter(
                          w ->
                              matches(
                                  selector,
                                  w.path("spec").path("template").path("metadata").path("labels")))
                      .findFirst()
                      .orElseThrow(() -> new AssertionError(name(service) + " selects no pods"));
              for (JsonNode port : service.path("spec").path("ports")) {
                assertThat(resolvePort(target, port.path("targetPort")))
                    .as(name(service))
                    .isPositive();
              }
            });
  }

  private static boolean matches(JsonNode selector, JsonNode labels) {
    List<Boolean> all = new ArrayList<>();
    selector
        .fields()
        .forEachRemaining(
            e -> all.add(e.getValue().asText().equals(labels.path(e.getKey()).asText())));
    return !all.isEmpty() && !all.contains(false);
  }

  @Test
  void gracePeriodsAreLongerThanEachServicesDrain() {
    workloads()
        .forEach(
            w -> {
              Duration drain = ServiceSettings.drain(image(w).module(), environment(w));
              long grace =
                  w.path("spec")
                      .path("template")
                      .path("spec")
                      .path("terminationGracePeriodSeconds")
                      .asLong();
              assertThat(Duration.ofSeconds(grace))
                  .as("%s grace vs drain %s", name(w), drain)
                  .isGreaterThan(drain);
            });
  }

  @Test
  void secretsComeFromSecretObjectsNeverFromLiterals() {
    Set<String> secrets =
        Set.of(
            "VOICEBUS_WORKER_OPENAI_API_KEY",
            "VOICEBUS_INGEST_TWILIO_AUTH_TOKEN",
            "VOICEBUS_INGEST_API_TOKEN");
    workloads()
        .forEach(
            w -> {
              for (JsonNode e : container(w).path("env")) {
                if (secrets.contains(e.path("name").asText())) {
                  assertThat(e.has("value")).as("%s %s", name(w), e).isFalse();
                  assertThat(e.path("valueFrom").path("secretKeyRef").path("name").asText())
                      .isEqualTo("voicebus-secrets");
                }
              }
            });
    assertThat(
            env(object("Deployment", "voicebus-worker"), "VOICEBUS_WORKER_OPENAI_API_KEY")
                .has("valueFrom"))
        .isTrue();
  }

  @Test
  void ingestPodsTakeTheirReplyPartitionFromTheirOrdinalAndTheExecutorAStableTransactionalId() {
    JsonNode ingest = object("StatefulSet", "voicebus-ingest");
    assertThat(
            env(ingest, "VOICEBUS_INGEST_REPLY_PARTITION")
                .path("valueFrom")
                .path("fieldRef")
                .path("fieldPath")
                .asText())
        .isEqualTo("metadata.labels['apps.kubernetes.io/pod-index']");
    assertThat(
            IngestConfig.from(ConfigSource.of(Map.of(), environment(ingest)))
                .audio()
                .replyPartition())
        .isZero();

    JsonNode tools = object("StatefulSet", "voicebus-tool-executor");
    assertThat(
            env(tools, "VOICEBUS_TOOL_EXECUTOR_INSTANCE_ID")
                .path("valueFrom")
                .path("fieldRef")
                .path("fieldPath")
                .asText())
        .isEqualTo("metadata.name");
    assertThat(
            ToolExecutorConfigReader.read(ConfigSource.of(Map.of(), environment(tools)))
                .transactionalId())
        .isEqualTo("voicebus-tool-executor-voicebus-tool-executor-0");
  }

  @Test
  void workersHaveADisruptionBudgetAndScaleOnLiveCallsThroughKeda() throws Exception {
    JsonNode worker = object("Deployment", "voicebus-worker");
    JsonNode labels = worker.path("spec").path("template").path("metadata").path("labels");
    JsonNode pdb = object("PodDisruptionBudget", "voicebus-worker");
    assertThat(matches(pdb.path("spec").path("selector").path("matchLabels"), labels)).isTrue();
    assertThat(pdb.path("spec").path("maxUnavailable").asInt()).isEqualTo(1);

    JsonNode scaled = documents(dir.resolve("keda/worker-scaledobject.yaml")).get(0);
    assertThat(scaled.path("kind").asText()).isEqualTo("ScaledObject");
    assertThat(scaled.path("spec").path("scaleTargetRef").path("kind").asText())
        .isEqualTo("Deployment");
    assertThat(scaled.path("spec").path("scaleTargetRef").path("name").asText())
        .isEqualTo(name(worker));
    JsonNode triggers = scaled.path("spec").path("triggers");
    assertThat(triggers.size()).isEqualTo(1);
    assertThat(triggers.get(0).path("type").asText()).isEqualTo("prometheus");
    assertThat(triggers.get(0).path("metadata").path("query").asText())
        .contains("voicebus_worker_live_calls");
  }
}

package dev.voicebus.launcher.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.CallSummary;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.TranscriptKind;
import dev.voicebus.ingest.IngestService;
import dev.voicebus.ingest.config.IngestConfig;
import dev.voicebus.kafka.embedded.EmbeddedKafkaBroker;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.realtime.sandbox.audio.MarkedAudio;
import dev.voicebus.realtime.sandbox.protocol.SessionRecord;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicBootstrap;
import dev.voicebus.schemas.topic.TopicSpec;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatedCall.Pacing;
import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.TwilioCallSimulator;
import dev.voicebus.tools.config.ToolExecutorConfigReader;
import dev.voicebus.tools.executor.ToolExecutorService;
import dev.voicebus.worker.SessionWorkerMain;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.Writer;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline through a broker outage: a Twilio call into ingest, a session worker in its
 * own JVM, the tool executor and the sandbox. The broker is stopped while the caller gives the
 * order number and restarted seconds later; every service recovers on its own, the caller's audio
 * from the outage reaches the Realtime session in order with nothing lost or repeated, the tool
 * runs once, and the call completes with its whole transcript.
 */
class BrokerRestartIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Duration OUTAGE = Duration.ofSeconds(5);
  private static final String GREETING =
      "Hello, thanks for calling Acme support. I can help with that. What is your order number?";
  private static final String ANSWER = "Thanks for waiting. Your order A1001 is shipped";
  private static final String GOODBYE = "You're welcome. Have a great day, goodbye!";

  private long nextMark;

  @Test
  void aCallLivesThroughABrokerRestart() throws Exception {
    try (var broker = EmbeddedKafkaBroker.start(Map.of("group.initial.rebalance.delay.ms", "0"));
        // Keeps up to 4000 frames (80 s) of what each session heard, for the frame check.
        var sandbox = RealtimeSandbox.start(SandboxConfig.defaults().withRecordCap(4000))) {
      Map<String, String> settings = settings(broker.bootstrapServers(), sandbox.baseUri());
      var kafka = KafkaSettings.from(ConfigSource.of(settings));
      try (var admin = Admin.create(kafka.clientConfig())) {
        new TopicBootstrap(admin, kafka.catalogue(), Duration.ofSeconds(30))
            .ensureTopics()
            .requireHealthy();
      }
      Process worker = startWorker(settings);
      try (var tools =
              new ToolExecutorService(
                  ToolExecutorConfigReader.read(ConfigSource.of(settings)), kafka);
          var ingest = new IngestService(IngestConfig.from(ConfigSource.of(settings)), kafka)) {
        tools.start();
        ingest.start();
        awaitWorkerInGroup(kafka, settings.get("worker.application-id"));
        var target = URI.create("ws://127.0.0.1:" + ingest.port() + "/twilio/media");
        try (var simulator =
            new TwilioCallSimulator(
                SimulatorOptions.of(target, settings.get("ingest.twilio.auth-token")), 1)) {
          SimulatedCall call =
              simulator.call(Map.of("agentProfile", "support")).get(15, TimeUnit.SECONDS);
          converse(call, broker, sandbox);
          // The only call on these topics.
          CallRecords records = awaitSummary(kafka);
          assertThat(records.agentLines()).hasSize(3).startsWith(GREETING).endsWith(GOODBYE);
          assertThat(records.agentLines().get(1)).startsWith(ANSWER);
          assertThat(records.toolCalls()).as("tool calls").hasSize(1);
          assertThat(records.toolResults()).as("tool results").hasSize(1);
        }
      } finally {
        worker.destroy();
        worker.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  /** Three caller turns; the broker is down from just before the second until after it. */
  private void converse(SimulatedCall call, EmbeddedKafkaBroker broker, RealtimeSandbox sandbox)
      throws Exception {
    say(call, 1200, 800);
    awaitAgentTurn(call);

    broker.stop();
    long marksBeforeOutage = nextMark;
    long stoppedAt = System.nanoTime();
    say(call, 1000, 800);
    say(call, 0, (int) OUTAGE.toMillis() - 1800);
    broker.restart();
    long restartedAt = System.nanoTime();
    long marksInOutage = nextMark;
    System.out.printf(
        "broker down for %d ms while the caller spoke %d frames%n",
        (restartedAt - stoppedAt) / 1_000_000, marksInOutage - marksBeforeOutage);
    await().atMost(WAIT).until(() -> framesAtSandbox(sandbox).size() >= marksInOutage);
    System.out.printf(
        "broker back -> the outage's audio at the Realtime session: %d ms%n",
        (System.nanoTime() - restartedAt) / 1_000_000);
    awaitAgentTurn(call);

    say(call, 1200, 800);
    awaitAgentTurn(call);
    long spoken = nextMark;
    call.sendStop();
    assertThat(framesAtSandbox(sandbox))
        .as("caller frames at the Realtime side: all of them, once, in order")
        .startsWith(LongStream.range(0, spoken).boxed().toArray(Long[]::new));
  }

  private void say(SimulatedCall call, int speechMs, int silenceMs) {
    var audio = new ByteArrayOutputStream();
    for (int ms = 0; ms < speechMs + silenceMs; ms += 20) {
      audio.writeBytes(MarkedAudio.frame(nextMark++, ms < speechMs));
    }
    call.streamAudio(audio.toByteArray(), Pacing.REAL_TIME).join();
  }

  /** Keeps the line open (silence) until the agent has spoken and then been quiet for 1.2 s. */
  private void awaitAgentTurn(SimulatedCall call) {
    int before = call.receivedFrames().size();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      say(call, 0, 200);
      var frames = call.receivedFrames();
      if (frames.size() > before
          && System.nanoTime() - frames.get(frames.size() - 1).arrivedNanos() > 1_200_000_000L) {
        return;
      }
    }
    throw new AssertionError("the agent did not answer within " + WAIT.toSeconds() + " s");
  }

  private static List<Long> framesAtSandbox(RealtimeSandbox sandbox) {
    List<Long> frames = new ArrayList<>();
    for (SessionRecord session : sandbox.sessions()) {
      frames.addAll(MarkedAudio.sequence(session.audioReceived()));
    }
    return frames;
  }

  private static Map<String, String> settings(String bootstrap, URI realtime) throws Exception {
    Map<String, String> values = new HashMap<>();
    values.put("kafka.bootstrap.servers", bootstrap);
    values.put("topics.prefix", "r" + UUID.randomUUID().toString().substring(0, 6) + ".");
    values.put("topics.partitions.call-input", "2");
    values.put("topics.partitions.reply", "1");
    values.put("topics.partitions.output", "2");
    values.put("topics.replication-factor", "1");
    values.put("worker.realtime-url", realtime.toString());
    values.put("worker.openai-api-key", "sk-sandbox");
    values.put("worker.application-id", "restart-worker-" + UUID.randomUUID());
    values.put("worker.standby-replicas", "0");
    values.put("worker.stream-threads", "1");
    values.put("worker.admin-port", "0");
    values.put("worker.state-dir", Files.createTempDirectory("restart-worker-").toString());
    values.put("ingest.host", "127.0.0.1");
    values.put("ingest.port", "0");
    values.put("ingest.admin-port", "0");
    values.put("ingest.twilio.auth-token", "restart-twilio-token");
    values.put("ingest.api-token", "restart-api-token");
    values.put("ingest.default-agent-profile", "support");
    values.put("tool-executor.http-port", "0");
    return values;
  }

  private static Process startWorker(Map<String, String> settings) throws Exception {
    Path file = Files.createTempFile("restart-worker-", ".properties");
    var properties = new Properties();
    properties.putAll(settings);
    try (Writer out = Files.newBufferedWriter(file)) {
      properties.store(out, "session worker for BrokerRestartIT");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-Xmx512m",
            "-cp",
            classpath(),
            SessionWorkerMain.class.getName(),
            file.toString())
        .redirectErrorStream(true)
        .redirectOutput(Path.of("target", "broker-restart-worker.log").toFile())
        .start();
  }

  private static String classpath() {
    if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader) {
      List<String> parts = new ArrayList<>();
      for (var url : loader.getURLs()) {
        parts.add(Path.of(URI.create(url.toString())).toString());
      }
      return String.join(File.pathSeparator, parts);
    }
    return System.getProperty("java.class.path");
  }

  private static void awaitWorkerInGroup(KafkaSettings kafka, String groupId) {
    try (var admin = Admin.create(kafka.clientConfig())) {
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(
              () -> {
                var group = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
                return group.groupState() == GroupState.STABLE && group.members().size() == 1;
              });
    }
  }

  /**
   * What the call left on the output topics.
   *
   * @param agentLines the agent's finished, uninterrupted lines in order
   * @param toolCalls tool calls of the call
   * @param toolResults tool results of the call
   */
  private record CallRecords(
      List<String> agentLines, List<ToolCall> toolCalls, List<ToolResult> toolResults) {}

  private static CallRecords awaitSummary(KafkaSettings kafka) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-reader-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> lines = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    List<ToolResult> results = new ArrayList<>();
    boolean[] ended = {false};
    var catalogue = kafka.catalogue();
    Map<String, TopicSpec<String, ?>> specs = new HashMap<>();
    for (TopicSpec<String, ?> spec :
        List.<TopicSpec<String, ?>>of(
            Topics.TRANSCRIPTS, Topics.TOOL_CALLS, Topics.TOOL_RESULTS, Topics.SESSION_EVENTS)) {
      specs.put(catalogue.name(spec), spec);
    }
    try (var consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.copyOf(specs.keySet()));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!ended[0] && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          Object value =
              specs
                  .get(record.topic())
                  .valueSerde()
                  .deserializer()
                  .deserialize(record.topic(), record.value());
          if (value instanceof TranscriptEvent t
              && t.getRole() == Speaker.AGENT
              && t.getKind() == TranscriptKind.FINAL
              && !t.getInterrupted()) {
            lines.add(t.getText());
          } else if (value instanceof ToolCall c) {
            calls.add(c);
          } else if (value instanceof ToolResult r) {
            results.add(r);
          } else if (value instanceof SessionEvent e && e.getEvent() instanceof CallSummary) {
            ended[0] = true;
          }
        }
      }
    }
    assertThat(ended[0]).as("call summary published").isTrue();
    return new CallRecords(lines, calls, results);
  }
}

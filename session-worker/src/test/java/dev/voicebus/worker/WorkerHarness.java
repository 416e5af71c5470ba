package dev.voicebus.worker;

import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallAction;
import dev.voicebus.avro.CallActionKind;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.CallSummary;
import dev.voicebus.avro.PlaybackMark;
import dev.voicebus.avro.ReplyRoute;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.SessionReconnect;
import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.TranscriptKind;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.audio.AudioFormat;
import dev.voicebus.realtime.sandbox.audio.MarkedAudio;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicBootstrap;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.TopicSettings;
import dev.voicebus.schemas.topic.TopicSpec;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.worker.config.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Runs one session worker against a real broker and the Realtime sandbox, and stands in for the
 * services around it with real Kafka clients: a caller (CallStarted, AudioFrames, CallEnded), an
 * ingest node's playback (it acknowledges agent audio with PlaybackMarks, unless told to stop), and
 * a tool executor (answers ToolCalls, unless told to stay silent). It records every output record.
 */
final class WorkerHarness implements AutoCloseable {

  static final AudioFormat PCMU = AudioFormat.PCMU;

  final KafkaCluster cluster;
  final TopicCatalogue catalogue;
  final SessionWorkerService worker;
  private final ConfigSource source;
  final Map<String, String> settings;
  private final KafkaSettings kafka;
  final List<TranscriptEvent> transcripts = new CopyOnWriteArrayList<>();
  final List<ToolCall> toolCalls = new CopyOnWriteArrayList<>();
  final List<SessionEvent> sessionEvents = new CopyOnWriteArrayList<>();
  final List<AudioOut> audioOut = new CopyOnWriteArrayList<>();
  final List<CallEnded> callEnded = new CopyOnWriteArrayList<>();
  final AtomicBoolean acknowledgePlayback = new AtomicBoolean(true);
  final AtomicBoolean answerTools = new AtomicBoolean(true);
  private final KafkaProducer<String, byte[]> producer;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread reader;

  /** Whether the harness runs a worker in this JVM or leaves workers to the test (child JVMs). */
  enum Workers {
    IN_PROCESS,
    NONE
  }

  WorkerHarness(KafkaCluster cluster, URI sandboxUri, Path stateDir) {
    this(cluster, sandboxUri, stateDir, Map.of());
  }

  WorkerHarness(
      KafkaCluster cluster, URI sandboxUri, Path stateDir, Map<String, String> extraSettings) {
    this(cluster, sandboxUri, stateDir, extraSettings, Workers.IN_PROCESS);
  }

  /**
   * A harness whose worker also gets {@code extraSettings}; {@code workers} says where workers run.
   */
  WorkerHarness(
      KafkaCluster cluster,
      URI sandboxUri,
      Path stateDir,
      Map<String, String> extraSettings,
      Workers workers) {
    this.cluster = cluster;
    String prefix = "w" + UUID.randomUUID().toString().substring(0, 8) + ".";
    var settings = TopicSettings.DEFAULTS.withPrefix(prefix).withPartitions(2, 1, 2);
    this.catalogue = new TopicCatalogue(settings);
    Map<String, String> values = new HashMap<>();
    values.put("kafka.bootstrap.servers", cluster.bootstrapServers());
    values.put("topics.prefix", prefix);
    values.put("topics.partitions.call-input", "2");
    values.put("topics.partitions.reply", "1");
    values.put("topics.partitions.output", "2");
    values.put("worker.realtime-url", sandboxUri.toString());
    values.put("worker.openai-api-key", "sk-test-harness");
    values.put("worker.application-id", "worker-" + prefix);
    values.put("worker.profiles-file", resource("test-profiles.json").toString());
    values.put("worker.stream-threads", "1");
    values.put("worker.standby-replicas", "0");
    values.put("worker.state-dir", stateDir.toString());
    values.putAll(extraSettings);
    this.source = ConfigSource.of(values);
    this.kafka = KafkaSettings.from(source);
    try (var admin = Admin.create(kafka.clientConfig())) {
      new TopicBootstrap(admin, catalogue, Duration.ofSeconds(30)).ensureTopics().requireHealthy();
    }
    this.producer =
        new KafkaProducer<>(
            kafka.clientConfig(), new StringSerializer(), new ByteArraySerializer());
    this.settings = Map.copyOf(values);
    this.worker = workers == Workers.IN_PROCESS ? newWorker(stateDir) : null;
    this.reader = new Thread(this::readOutputs, "harness-reader");
    reader.start();
    if (worker != null) {
      worker.start();
    }
  }

  /** Another worker instance of the same application (same consumer group), not started. */
  SessionWorkerService newWorker(Path stateDir) {
    var config = WorkerConfig.from(source.with(Map.of("worker.state-dir", stateDir.toString())));
    return new SessionWorkerService(config, kafka, new SimpleMeterRegistry());
  }

  String startCall(String profile) {
    return startCall(profile, "call-" + UUID.randomUUID());
  }

  String startCall(String profile, String callId) {
    var started =
        CallStarted.newBuilder()
            .setCallId(callId)
            .setTenantId("acme")
            .setAgentProfile(profile)
            .setSource(CallSource.TWILIO)
            .setCodec(AudioCodec.PCMU)
            .setSampleRate(8000)
            .setReplyRoute(new ReplyRoute(catalogue.name(Topics.AUDIO_OUT), 0))
            .setStartedAt(Instant.now())
            .build();
    send(Topics.CALL_CONTROL, callId, new CallControl(started));
    return callId;
  }

  void endCall(String callId, long lastSeq) {
    send(
        Topics.CALL_CONTROL,
        callId,
        new CallControl(
            new CallEnded(
                callId, CallEndReason.CALLER_HANGUP, null, lastSeq, Instant.now(), null)));
  }

  /**
   * Sends {@code speechMs} of speech then {@code silenceMs} of silence as 20 ms frames from {@code
   * seq}, as fast as the producer takes them. Each frame carries its seq ({@link MarkedAudio}).
   */
  long speak(String callId, long seq, int speechMs, int silenceMs) {
    for (int ms = 0; ms < speechMs; ms += 20) {
      frame(callId, seq, MarkedAudio.frame(seq, true));
      seq++;
    }
    for (int ms = 0; ms < silenceMs; ms += 20) {
      frame(callId, seq, MarkedAudio.frame(seq, false));
      seq++;
    }
    producer.flush();
    return seq;
  }

  /**
   * Like a caller on a phone line: {@code leadSilenceMs} of silence, {@code speechMs} of speech and
   * {@code silenceMs} of silence, one 20 ms frame every 20 ms, each sent (acknowledged by the
   * broker) before the next. Completes with the next seq.
   */
  /**
   * Like {@link #speakInRealTime(String, long, int, int, int)}, but the caller stays on the line in
   * silence until {@code speakWhen} holds (checked every frame), so a test can have the caller
   * speak only after something happened (a hand-over) however long that takes on a loaded machine.
   */
  CompletableFuture<Long> speakInRealTimeWhen(
      String callId, long seq, BooleanSupplier speakWhen, int speechMs, int silenceMs) {
    return CompletableFuture.supplyAsync(
        () -> {
          long next = seq;
          long start = System.nanoTime();
          long i = 0;
          for (; !speakWhen.getAsBoolean(); i++) {
            LockSupport.parkNanos(start + i * 20_000_000L - System.nanoTime());
            frame(callId, next, MarkedAudio.frame(next, false));
            producer.flush();
            next++;
          }
          for (int t = 0; t < (speechMs + silenceMs) / 20; t++, i++) {
            LockSupport.parkNanos(start + i * 20_000_000L - System.nanoTime());
            frame(callId, next, MarkedAudio.frame(next, t < speechMs / 20));
            producer.flush();
            next++;
          }
          return next;
        },
        task -> new Thread(task, "caller-" + callId).start());
  }

  CompletableFuture<Long> speakInRealTime(
      String callId, long seq, int leadSilenceMs, int speechMs, int silenceMs) {
    return CompletableFuture.supplyAsync(
        () -> {
          long next = seq;
          long start = System.nanoTime();
          int total = (leadSilenceMs + speechMs + silenceMs) / 20;
          for (int i = 0; i < total; i++) {
            long due = start + i * 20_000_000L;
            LockSupport.parkNanos(due - System.nanoTime());
            boolean speech = i >= leadSilenceMs / 20 && i < (leadSilenceMs + speechMs) / 20;
            frame(callId, next, MarkedAudio.frame(next, speech));
            producer.flush();
            next++;
          }
          return next;
        },
        // One thread per caller: the common pool has a single thread on a 2-core machine, which
        // would play the callers one after another.
        task -> new Thread(task, "caller-" + callId).start());
  }

  void frame(String callId, long seq, byte[] payload) {
    send(
        Topics.AUDIO_IN,
        callId,
        new AudioFrame(callId, seq, Instant.now(), 20, AudioCodec.PCMU, ByteBuffer.wrap(payload)));
  }

  void flush() {
    producer.flush();
  }

  <V> void send(TopicSpec<String, V> spec, String callId, V value) {
    String topic = catalogue.name(spec);
    producer.send(
        new ProducerRecord<>(
            topic, callId, spec.valueSerde().serializer().serialize(topic, value)));
  }

  List<TranscriptEvent> transcriptsOf(String callId) {
    return transcripts.stream().filter(t -> t.getCallId().equals(callId)).toList();
  }

  List<SessionEvent> eventsOf(String callId) {
    return sessionEvents.stream().filter(e -> e.getCallId().equals(callId)).toList();
  }

  /** The agent's finished turns of a call, in order, without interrupted ones. */
  List<String> agentFinals(String callId) {
    return transcriptsOf(callId).stream()
        .filter(
            t ->
                t.getRole() == Speaker.AGENT
                    && t.getKind() == TranscriptKind.FINAL
                    && !t.getInterrupted())
        .map(TranscriptEvent::getText)
        .toList();
  }

  List<SessionReconnect> reconnects(String callId) {
    return eventsOf(callId).stream()
        .filter(e -> e.getEvent() instanceof SessionReconnect)
        .map(e -> (SessionReconnect) e.getEvent())
        .toList();
  }

  /** The call's closing summary, or null before the call has ended. */
  CallSummary summary(String callId) {
    return eventsOf(callId).stream()
        .filter(e -> e.getEvent() instanceof CallSummary)
        .map(e -> (CallSummary) e.getEvent())
        .findFirst()
        .orElse(null);
  }

  /** The Realtime sessions a call has had, in the order they were opened. */
  List<String> sessionIds(String callId) {
    return eventsOf(callId).stream()
        .filter(
            e ->
                e.getEvent() instanceof dev.voicebus.avro.SessionLifecycle l
                    && l.getPhase() == dev.voicebus.avro.SessionPhase.CREATED)
        .map(SessionEvent::getSessionId)
        .toList();
  }

  /** The seq of every caller frame the sandbox received for a call, per session in order. */
  List<List<Long>> framesBySession(RealtimeSandbox sandbox, String callId) {
    return sessionIds(callId).stream()
        .map(id -> MarkedAudio.sequence(sandbox.session(id).orElseThrow().audioReceived()))
        .toList();
  }

  List<AudioOut> audioOutOf(String callId) {
    return audioOut.stream().filter(a -> callIdOf(a).equals(callId)).toList();
  }

  static String callIdOf(AudioOut out) {
    Object event = out.getEvent();
    if (event instanceof AgentAudio a) {
      return a.getCallId();
    } else if (event instanceof dev.voicebus.avro.ClearPlayback c) {
      return c.getCallId();
    }
    return ((dev.voicebus.avro.Hangup) event).getCallId();
  }

  private void readOutputs() {
    Map<String, Function<byte[], Object>> decoders = new HashMap<>();
    decoders.put(
        catalogue.name(Topics.TRANSCRIPTS),
        b -> Topics.TRANSCRIPTS.valueSerde().deserializer().deserialize("", b));
    decoders.put(
        catalogue.name(Topics.TOOL_CALLS),
        b -> Topics.TOOL_CALLS.valueSerde().deserializer().deserialize("", b));
    decoders.put(
        catalogue.name(Topics.SESSION_EVENTS),
        b -> Topics.SESSION_EVENTS.valueSerde().deserializer().deserialize("", b));
    decoders.put(
        catalogue.name(Topics.AUDIO_OUT),
        b -> Topics.AUDIO_OUT.valueSerde().deserializer().deserialize("", b));
    decoders.put(
        catalogue.name(Topics.CALL_CONTROL),
        b -> {
          try {
            return Topics.CALL_CONTROL.valueSerde().deserializer().deserialize("", b);
          } catch (RuntimeException poison) {
            // Tests put undecodable records on call.control; the worker dead-letters them.
            return null;
          }
        });
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "harness-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.copyOf(decoders.keySet()));
      while (running.get()) {
        for (var record : consumer.poll(Duration.ofMillis(50))) {
          Object value = decoders.get(record.topic()).apply(record.value());
          if (value instanceof TranscriptEvent t) {
            transcripts.add(t);
          } else if (value instanceof ToolCall c) {
            toolCalls.add(c);
            answerTool(c);
          } else if (value instanceof SessionEvent e) {
            sessionEvents.add(e);
          } else if (value instanceof AudioOut a) {
            audioOut.add(a);
            acknowledge(a);
          } else if (value instanceof CallControl control
              && control.getEvent() instanceof CallEnded ended) {
            callEnded.add(ended);
          }
        }
      }
    }
  }

  /** The tool executor stand-in: lookup_order knows A1001. */
  private void answerTool(ToolCall call) {
    if (answerTools.get()) {
      answer(call);
    }
  }

  /** Where the stand-in executor's transfer_call sends callers. */
  static final String TRANSFER_TARGET = "+15551230000";

  /** The CallEnded records of a call on call.control (ingest's, the test's or the worker's). */
  List<CallEnded> endsOf(String callId) {
    return callEnded.stream().filter(e -> e.getCallId().equals(callId)).toList();
  }

  /** Publishes the stand-in executor's result for {@code call}. */
  void answer(ToolCall call) {
    String output =
        call.getName().equals("lookup_order")
            ? "{\"order_id\":\"A1001\",\"status\":\"shipped\",\"eta\":\"tomorrow\"}"
            : "{\"ok\":true}";
    send(
        Topics.TOOL_RESULTS,
        call.getCallId(),
        new ToolResult(
            call.getCallId(),
            call.getToolCallId(),
            call.getName(),
            ToolStatus.OK,
            output,
            5L,
            1,
            Instant.now(),
            action(call.getName()),
            call.getTenantId(),
            call.getAgentProfile(),
            call.getExternalCallId()));
    producer.flush();
  }

  /** As the real executor's end_call and transfer_call do: typed actions, not text. */
  private static CallAction action(String tool) {
    return switch (tool) {
      case "end_call" -> new CallAction(CallActionKind.HANGUP, "resolved", null, null);
      case "transfer_call" ->
          new CallAction(
              CallActionKind.TRANSFER, null, TRANSFER_TARGET, "Connecting you to billing now.");
      default -> null;
    };
  }

  /** The ingest playback stand-in: every agent audio chunk is heard as soon as it arrives. */
  private void acknowledge(AudioOut out) {
    if (acknowledgePlayback.get() && out.getEvent() instanceof AgentAudio audio) {
      long played = audio.getOffsetMs() + audio.getDurationMs();
      var mark =
          new PlaybackMark(
              audio.getCallId(),
              audio.getItemId() + ":" + played,
              audio.getItemId(),
              played,
              false,
              Instant.now());
      send(Topics.CALL_CONTROL, audio.getCallId(), new CallControl(mark));
    }
  }

  private static Path resource(String name) {
    try {
      return Path.of(WorkerHarness.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    if (worker != null) {
      worker.close();
    }
    running.set(false);
    reader.join(5000);
    producer.close();
  }

  static Path tempDir() throws java.io.IOException {
    return Files.createTempDirectory("worker-state-");
  }
}

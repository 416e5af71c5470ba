package dev.voicebus.recorder.testing;

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
import dev.voicebus.avro.ClearPlayback;
import dev.voicebus.avro.PlaybackMark;
import dev.voicebus.avro.ReplyRoute;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.recorder.RecorderService;
import dev.voicebus.recorder.config.RecorderConfigReader;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.topic.TopicBootstrap;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.telephony.audio.G711;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * One test's private deployment on the shared broker: topics under a unique prefix (2 partitions
 * each), a recorder writing to a temporary directory, and producers that play a call's records onto
 * the topics as ingest, the worker and the tool executor would, with chosen times.
 */
public final class RecorderHarness implements AutoCloseable {

  public static final int PARTITIONS = 2;
  public static final AvroSerde<SessionEvent> EVENTS = AvroSerde.of(SessionEvent.class);

  private final String prefix = "rec" + UUID.randomUUID().toString().substring(0, 8) + ".";
  private final KafkaSettings kafka;
  private final KafkaProducer<byte[], byte[]> producer;
  private final List<RecorderService> services = new ArrayList<>();

  public RecorderHarness(KafkaCluster cluster) {
    this.kafka =
        KafkaSettings.from(
            ConfigSource.of(
                Map.of(
                    "kafka.bootstrap.servers", cluster.bootstrapServers(),
                    "topics.prefix", prefix,
                    "topics.partitions.call-input", String.valueOf(PARTITIONS),
                    "topics.partitions.reply", String.valueOf(PARTITIONS),
                    "topics.partitions.output", String.valueOf(PARTITIONS))));
    try (var admin = Admin.create(kafka.clientConfig())) {
      new TopicBootstrap(admin, kafka.catalogue(), Duration.ofSeconds(30))
          .ensureTopics()
          .requireHealthy();
    }
    producer =
        new KafkaProducer<>(
            kafka.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer());
  }

  public TopicCatalogue catalogue() {
    return kafka.catalogue();
  }

  /** Recorder settings for this deployment plus {@code extra} (which wins). */
  public Map<String, String> settings(Path root, Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>();
    settings.put("recorder.group-id", prefix + "recorder");
    settings.put("recorder.instance-id", "r1");
    settings.put("recorder.admin-host", "127.0.0.1");
    settings.put("recorder.admin-port", "0");
    settings.put("recorder.local.dir", root.resolve("recordings").toString());
    settings.put("recorder.work-dir", root.resolve("work").toString());
    settings.put("recorder.start-at", "earliest");
    settings.put("recorder.upload.initial-backoff", "50ms");
    settings.put("recorder.upload.max-backoff", "200ms");
    settings.putAll(extra);
    return settings;
  }

  public RecorderService start(Path root, Map<String, String> extra) {
    var service =
        new RecorderService(
            RecorderConfigReader.read(ConfigSource.of(settings(root, extra))), kafka);
    services.add(service);
    service.start();
    return service;
  }

  /** A call id whose records land on call partition {@code partition}. */
  public static String callIdOn(int partition, String hint) {
    while (true) {
      String id = hint + "-" + UUID.randomUUID();
      int p = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
      if (p == partition) {
        return id;
      }
    }
  }

  // --- records as the services publish them -------------------------------------------------

  public void started(String callId, Instant at, String profile, CallSource source, int reply) {
    control(
        callId,
        CallStarted.newBuilder()
            .setCallId(callId)
            .setTenantId("acme")
            .setAgentProfile(profile)
            .setSource(source)
            .setCodec(AudioCodec.PCMU)
            .setSampleRate(8000)
            .setExternalCallId("CA" + callId.hashCode())
            .setReplyRoute(
                ReplyRoute.newBuilder()
                    .setTopic(catalogue().name(Topics.AUDIO_OUT))
                    .setPartition(reply)
                    .build())
            .setStartedAt(at)
            .build(),
        at);
  }

  public void ended(String callId, Instant at, long lastSeq) {
    control(
        callId,
        CallEnded.newBuilder()
            .setCallId(callId)
            .setReason(CallEndReason.CALLER_HANGUP)
            .setDetail("stream stopped")
            .setLastSeq(lastSeq)
            .setEndedAt(at)
            .build(),
        at);
  }

  public void mark(
      String callId, String name, String itemId, long playedMs, boolean cleared, Instant at) {
    control(
        callId,
        PlaybackMark.newBuilder()
            .setCallId(callId)
            .setName(name)
            .setItemId(itemId)
            .setPlayedMs(playedMs)
            .setCleared(cleared)
            .setAckedAt(at)
            .build(),
        at);
  }

  private void control(String callId, Object event, Instant at) {
    byte[] value =
        AvroSerde.of(CallControl.class).encode(CallControl.newBuilder().setEvent(event).build());
    send(catalogue().name(Topics.CALL_CONTROL), null, callId, value, at);
  }

  /** Caller frames {@code first..first+count-1}, 20 ms each from {@code start}, of {@code pcm}. */
  public void frames(String callId, long firstSeq, int count, Instant start, short[] pcm) {
    for (int i = 0; i < count; i++) {
      short[] frame = new short[160];
      System.arraycopy(pcm, i * 160, frame, 0, 160);
      Instant capturedAt = start.plusMillis(20L * i);
      byte[] value =
          AvroSerde.of(AudioFrame.class)
              .encode(
                  AudioFrame.newBuilder()
                      .setCallId(callId)
                      .setSeq(firstSeq + i)
                      .setCapturedAt(capturedAt)
                      .setDurationMs(20)
                      .setCodec(AudioCodec.PCMU)
                      .setPayload(ByteBuffer.wrap(G711.pcmToMuLaw(frame, 0, 160)))
                      .build());
      send(catalogue().name(Topics.AUDIO_IN), null, callId, value, capturedAt);
    }
  }

  /** One AgentAudio chunk on reply partition {@code reply}, sent at {@code sentAt}. */
  public void agentAudio(
      String callId,
      int reply,
      long seq,
      String itemId,
      long offsetMs,
      short[] pcm,
      Instant sentAt) {
    AgentAudio audio =
        AgentAudio.newBuilder()
            .setCallId(callId)
            .setSeq(seq)
            .setItemId(itemId)
            .setOffsetMs(offsetMs)
            .setDurationMs(pcm.length / 8)
            .setCodec(AudioCodec.PCMU)
            .setPayload(ByteBuffer.wrap(G711.pcmToMuLaw(pcm, 0, pcm.length)))
            .setTenantId("acme")
            .setAgentProfile("support")
            .build();
    audioOut(callId, reply, audio, sentAt);
  }

  public void clear(String callId, int reply, String itemId, Instant at) {
    audioOut(
        callId,
        reply,
        ClearPlayback.newBuilder()
            .setCallId(callId)
            .setItemId(itemId)
            .setReason("barge-in")
            .setAt(at)
            .build(),
        at);
  }

  private void audioOut(String callId, int reply, Object event, Instant at) {
    byte[] value =
        AvroSerde.of(AudioOut.class).encode(AudioOut.newBuilder().setEvent(event).build());
    send(catalogue().name(Topics.AUDIO_OUT), reply, callId, value, at);
  }

  public void recordingAction(String callId, CallActionKind kind, Instant completedAt) {
    byte[] value =
        AvroSerde.of(ToolResult.class)
            .encode(
                ToolResult.newBuilder()
                    .setCallId(callId)
                    .setToolCallId("tc-" + UUID.randomUUID())
                    .setName(
                        kind == CallActionKind.PAUSE_RECORDING ? "take_payment" : "payment_done")
                    .setStatus(ToolStatus.OK)
                    .setOutputJson("{}")
                    .setCompletedAt(completedAt)
                    .setAction(CallAction.newBuilder().setKind(kind).build())
                    .build());
    send(catalogue().name(Topics.TOOL_RESULTS), null, callId, value, completedAt);
  }

  public void send(String topic, Integer partition, String key, byte[] value, Instant at) {
    producer.send(
        new ProducerRecord<>(
            topic,
            partition,
            at.toEpochMilli(),
            key == null ? null : key.getBytes(StandardCharsets.UTF_8),
            value));
  }

  /** Raw key and value bytes (either may be null), for poison records. */
  public void sendBytes(String topic, Integer partition, byte[] key, byte[] value, Instant at) {
    producer.send(new ProducerRecord<>(topic, partition, at.toEpochMilli(), key, value));
  }

  public void flush() {
    producer.flush();
  }

  /** The RECORDING_READY events of {@code callId} on session.events so far. */
  public List<SessionEvent> readyEvents(String callId) {
    return readAll(catalogue().name(Topics.SESSION_EVENTS)).stream()
        .map(r -> EVENTS.decode(r.value()))
        .filter(e -> e.getCallId().equals(callId))
        .toList();
  }

  public List<ConsumerRecord<byte[], byte[]>> deadLetters() {
    return readAll(catalogue().name(Topics.DLQ));
  }

  /** Every record now in {@code topic}, read up to the end offsets. */
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = new HashMap<>(consumer.endOffsets(partitions));
      while (!end.isEmpty()) {
        consumer.poll(Duration.ofMillis(50)).forEach(records::add);
        end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
      }
    }
    return records;
  }

  @Override
  public void close() {
    for (int i = services.size() - 1; i >= 0; i--) {
      services.get(i).close();
    }
    producer.close();
  }
}

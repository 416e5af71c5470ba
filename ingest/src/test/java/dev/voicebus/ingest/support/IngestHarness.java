package dev.voicebus.ingest.support;

import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.ingest.IngestService;
import dev.voicebus.ingest.config.IngestConfig;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.TwilioCallSimulator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One ingest node on the test broker with its own topic prefix, plus helpers to read back what it
 * published and to play the session worker's part on audio.out.
 */
public final class IngestHarness implements AutoCloseable {

  public static final String TWILIO_TOKEN = "twilio-test-token";
  public static final String API_TOKEN = "api-test-token";

  private final KafkaCluster cluster;
  private final KafkaSettings kafka;
  private final IngestService service;
  private final TwilioCallSimulator simulator;
  private KafkaProducer<byte[], byte[]> producer;

  public IngestHarness(KafkaCluster cluster, Map<String, String> overrides) {
    this.cluster = cluster;
    Map<String, String> settings = new HashMap<>();
    settings.put("kafka.bootstrap.servers", cluster.bootstrapServers());
    settings.put("topics.prefix", "t" + UUID.randomUUID().toString().substring(0, 8) + ".");
    settings.put("topics.partitions.call-input", "3");
    settings.put("topics.partitions.reply", "2");
    settings.put("topics.partitions.output", "1");
    settings.put("ingest.host", "127.0.0.1");
    settings.put("ingest.port", "0");
    settings.put("ingest.admin-port", "0");
    settings.put("ingest.twilio.auth-token", TWILIO_TOKEN);
    settings.put("ingest.api-token", API_TOKEN);
    settings.put("ingest.io-threads", "2");
    settings.put("ingest.drain-timeout", "2s");
    settings.putAll(overrides);
    var source = ConfigSource.of(settings);
    this.kafka = KafkaSettings.from(source);
    try {
      this.service = new IngestService(IngestConfig.from(source), kafka).start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    this.simulator = new TwilioCallSimulator(SimulatorOptions.of(twilioUri(), TWILIO_TOKEN), 2);
  }

  public IngestService service() {
    return service;
  }

  public TwilioCallSimulator simulator() {
    return simulator;
  }

  public TopicCatalogue catalogue() {
    return kafka.catalogue();
  }

  public URI twilioUri() {
    return URI.create("ws://127.0.0.1:" + service.port() + "/twilio/media");
  }

  public URI streamUri() {
    return URI.create("ws://127.0.0.1:" + service.port() + "/v1/stream");
  }

  public URI uploadUri(String query) {
    return URI.create("http://127.0.0.1:" + service.port() + "/v1/calls?" + query);
  }

  public URI adminUri(String path) {
    return URI.create("http://127.0.0.1:" + service.adminPort() + path);
  }

  /** Control events of every call, in partition order, until {@code done} holds or 30 s pass. */
  public List<Keyed<CallControl>> control(Predicate<List<Keyed<CallControl>>> done) {
    return read(catalogue().name(Topics.CALL_CONTROL), AvroSerde.of(CallControl.class), done);
  }

  /** Tool results (ingest answers a failed transfer there), until {@code done} or 30 s. */
  public List<Keyed<ToolResult>> toolResults(Predicate<List<Keyed<ToolResult>>> done) {
    return read(catalogue().name(Topics.TOOL_RESULTS), AvroSerde.of(ToolResult.class), done);
  }

  /** The node's base URL for HTTP requests on the call port, e.g. {@code http://127.0.0.1:N}. */
  public URI httpUri(String path) {
    return URI.create("http://127.0.0.1:" + service.port() + path);
  }

  public List<Keyed<AudioFrame>> audio(Predicate<List<Keyed<AudioFrame>>> done) {
    return read(catalogue().name(Topics.AUDIO_IN), AvroSerde.of(AudioFrame.class), done);
  }

  /** A record value with its key and partition. */
  public record Keyed<T>(String key, int partition, T value) {}

  private <T extends org.apache.avro.specific.SpecificRecord> List<Keyed<T>> read(
      String topic, AvroSerde<T> serde, Predicate<List<Keyed<T>>> done) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<Keyed<T>> out = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!done.test(out) && System.nanoTime() < deadline) {
        for (var r : consumer.poll(Duration.ofMillis(100))) {
          out.add(
              new Keyed<>(
                  new String(r.key(), StandardCharsets.UTF_8),
                  r.partition(),
                  serde.decode(r.value())));
        }
      }
    }
    return out;
  }

  /** Publishes a playback instruction for {@code callId} to audio.out {@code partition}. */
  public void publishAudioOut(String callId, int partition, AudioOut event) {
    if (producer == null) {
      producer =
          new KafkaProducer<>(
              kafka.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    }
    producer.send(
        new ProducerRecord<>(
            catalogue().name(Topics.AUDIO_OUT),
            partition,
            callId.getBytes(StandardCharsets.UTF_8),
            AvroSerde.of(AudioOut.class).encode(event)));
    producer.flush();
  }

  /** Publishes a control event for {@code callId} to call.control (as a worker would). */
  public void publishControl(String callId, CallControl event) {
    if (producer == null) {
      producer =
          new KafkaProducer<>(
              kafka.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    }
    producer.send(
        new ProducerRecord<>(
            catalogue().name(Topics.CALL_CONTROL),
            callId.getBytes(StandardCharsets.UTF_8),
            AvroSerde.of(CallControl.class).encode(event)));
    producer.flush();
  }

  /** Publishes raw bytes to audio.out {@code partition} (for undecodable-record tests). */
  public void publishRawAudioOut(String callId, int partition, byte[] value) {
    if (producer == null) {
      producer =
          new KafkaProducer<>(
              kafka.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    }
    producer.send(
        new ProducerRecord<>(
            catalogue().name(Topics.AUDIO_OUT),
            partition,
            callId.getBytes(StandardCharsets.UTF_8),
            value));
    producer.flush();
  }

  /** Raw records of the DLQ topic, until {@code count} are read or 30 s pass. */
  public List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> deadLetters(
      int count) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    String topic = catalogue().name(Topics.DLQ);
    List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
      }
    }
    return out;
  }

  public KafkaCluster cluster() {
    return cluster;
  }

  @Override
  public void close() {
    simulator.close();
    if (producer != null) {
      producer.close();
    }
    service.close();
  }
}

package dev.voicebus.schemas.serde;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writer schemas shared through a compacted Kafka topic (key: fingerprint, value: schema JSON), so
 * a service running older schemas can still read records from a newer writer without a registry
 * service. Writers {@link #publish} their schemas at start-up; readers look up a fingerprint they
 * do not know by reading the topic to its end. Lookups of unknown fingerprints are rate-limited so
 * garbage bytes cannot make every decode re-read the topic.
 */
public final class KafkaSchemaStore implements SchemaStore, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaSchemaStore.class);
  private static final Duration RELOAD_INTERVAL = Duration.ofSeconds(1);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final Map<String, Object> clientConfig;
  private final String topic;
  private final Map<Long, Schema> schemas = new ConcurrentHashMap<>();
  private long lastReloadNanos;

  /**
   * @param clientConfig Kafka client properties ({@code bootstrap.servers}, security settings)
   * @param topic the schemas topic, from the topic catalogue
   */
  public KafkaSchemaStore(Map<String, Object> clientConfig, String topic) {
    this.clientConfig = Map.copyOf(clientConfig);
    this.topic = topic;
  }

  /** Makes {@code schemas} resolvable by every reader; waits for the broker's acknowledgement. */
  public void publish(List<Schema> toPublish) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (var producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (Schema schema : toPublish) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        producer
            .send(new ProducerRecord<>(topic, Long.toHexString(fingerprint), schema.toString()))
            .get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        schemas.put(fingerprint, schema);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while publishing schemas to " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaException("Cannot publish schemas to " + topic + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Schema findByFingerprint(long fingerprint) {
    Schema known = schemas.get(fingerprint);
    if (known != null) {
      return known;
    }
    synchronized (this) {
      long now = System.nanoTime();
      if (now - lastReloadNanos >= RELOAD_INTERVAL.toNanos()) {
        lastReloadNanos = now;
        reload();
      }
    }
    return schemas.get(fingerprint);
  }

  private void reload() {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (var consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, READ_TIMEOUT).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (!reachedEnd(consumer, end) && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          Schema schema = new Schema.Parser().parse(record.value());
          schemas.put(SchemaNormalization.parsingFingerprint64(schema), schema);
        }
      }
    } catch (KafkaException | org.apache.avro.SchemaParseException e) {
      log.warn("Cannot read writer schemas from {}: {}", topic, e.getMessage());
    }
  }

  private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  @Override
  public void close() {
    schemas.clear();
  }
}

package dev.voicebus.schemas.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Makes a real consumer's {@code poll} throw, for tests of loop supervision: configured as a Kafka
 * client interceptor ({@code interceptor.classes}, e.g. {@code kafka.interceptor.classes} in a
 * service's settings), it throws the armed {@link Throwable} whenever a poll returns records of an
 * {@link #arm armed} topic. Kafka catches exceptions from interceptors but not {@link Error}s, so
 * arm it with an Error (e.g. {@link AssertionError}) to kill the polling thread as an unexpected
 * failure would. It is also a no-op producer interceptor, because services pass one set of client
 * settings to their producers too.
 */
public final class ConsumerFault
    implements ConsumerInterceptor<Object, Object>, ProducerInterceptor<Object, Object> {

  private static final Map<String, Supplier<? extends Error>> ARMED = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> THROWN = new ConcurrentHashMap<>();

  /** From now on, every poll that returns records of {@code topic} throws {@code error}. */
  public static void arm(String topic, Supplier<? extends Error> error) {
    ARMED.put(topic, error);
  }

  public static void disarm(String topic) {
    ARMED.remove(topic);
  }

  /** How many polls of {@code topic} were made to throw. */
  public static int thrown(String topic) {
    AtomicInteger count = THROWN.get(topic);
    return count == null ? 0 : count.get();
  }

  @Override
  public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
    for (TopicPartition partition : records.partitions()) {
      Supplier<? extends Error> error = ARMED.get(partition.topic());
      if (error != null) {
        THROWN.computeIfAbsent(partition.topic(), t -> new AtomicInteger()).incrementAndGet();
        throw error.get();
      }
    }
    return records;
  }

  @Override
  public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

  @Override
  public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
    return record;
  }

  @Override
  public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

  @Override
  public void close() {}

  @Override
  public void configure(Map<String, ?> configs) {}
}

package dev.voicebus.ingest.sip;

import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.schemas.dlq.RecordDecoder;
import dev.voicebus.schemas.supervision.Backoff;
import dev.voicebus.schemas.supervision.LoopSupervisor;
import dev.voicebus.schemas.supervision.SupervisedLoop;
import dev.voicebus.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches {@code call.control} (every partition, by {@code assign()}, no consumer group, from its
 * end) for the {@code CallEnded} of the SIP calls in the {@link SipCallLedger}, and releases their
 * tenant slots. Only records whose key the ledger holds are decoded; an undecodable one is skipped
 * (the worker dead-letters it). Also expires stale ledger entries. Runs under {@link #supervise}.
 */
public final class SipCallEnds implements SupervisedLoop {

  private static final Logger log = LoggerFactory.getLogger(SipCallEnds.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final SipCallLedger ledger;
  private final RecordDecoder<String, CallControl> decoder =
      new RecordDecoder<>(Topics.CALL_CONTROL);
  private final AtomicBoolean running = new AtomicBoolean(true);
  private volatile boolean healthy;

  public SipCallEnds(Map<String, Object> clientConfig, String topic, SipCallLedger ledger) {
    this.ledger = ledger;
    var config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "voicebus-ingest-sip-ends");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw e;
    }
  }

  /** Runs watchers of {@code topic} under a supervisor (started by the caller). */
  public static LoopSupervisor<SipCallEnds> supervise(
      Map<String, Object> clientConfig, String topic, SipCallLedger ledger) {
    return new LoopSupervisor<>(
        "ingest-sip-call-ends",
        () -> new SipCallEnds(clientConfig, topic, ledger),
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10)));
  }

  @Override
  public void run() {
    try {
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          handle(record);
        }
        healthy = true;
        int expired = ledger.expire();
        if (expired > 0) {
          log.warn("Released {} SIP calls whose end was never seen on call.control", expired);
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null) {
      return;
    }
    String callId = new String(record.key(), StandardCharsets.UTF_8);
    if (!ledger.holds(callId)) {
      return;
    }
    try {
      if (decoder.value(record).getEvent() instanceof CallEnded ended) {
        ledger.release(callId);
        log.debug("SIP call {} ended ({}): its tenant slot is free", callId, ended.getReason());
      }
    } catch (RuntimeException e) {
      log.debug("Skipped an undecodable call.control record of {}: {}", callId, e.toString());
    }
  }

  @Override
  public boolean healthy() {
    return healthy;
  }

  @Override
  public void stop() {
    running.set(false);
    consumer.wakeup();
  }
}

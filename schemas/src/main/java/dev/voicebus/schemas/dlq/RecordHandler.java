package dev.voicebus.schemas.dlq;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Processes one decoded record; an exception sends the record to the dead-letter topic. */
@FunctionalInterface
public interface RecordHandler<K, V> {

  void handle(ConsumerRecord<K, V> record) throws Exception;
}

package dev.voicebus.webhooks.event;

import org.apache.kafka.common.TopicPartition;

/**
 * Where an event came from: the topic (full name), partition and offset of the record it was made
 * from. Its offset is committed only once every delivery made from the record is settled.
 */
public record SourceRef(String topic, int partition, long offset) {

  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}

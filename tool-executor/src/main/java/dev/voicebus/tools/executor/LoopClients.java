package dev.voicebus.tools.executor;

import dev.voicebus.schemas.dlq.DeadLetterPublisher;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Kafka clients of one {@link ToolCallLoop}, which takes them over and closes them: the group
 * consumer of tool.calls (read_committed, no auto commit), the transactional producer, and the
 * dead-letter publisher (which sends through the transactional producer, so a dead-lettered call's
 * offset commits with it).
 */
public record LoopClients(
    Consumer<byte[], byte[]> consumer,
    Producer<byte[], byte[]> producer,
    DeadLetterPublisher deadLetters) {}

package dev.voicebus.tools.executor;

import dev.voicebus.schemas.dlq.DeadLetterPublisher;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Kafka clients of one {@link ToolCallLoop}, which takes them over and closes them: the group
 * consumer of tool.calls (read_committed, no auto commit), the transactional producer, a factory of
 * read_committed consumers for restoring tool.dedupe, and the dead-letter publisher (which sends
 * through the transactional producer).
 */
public record LoopClients(
    Consumer<byte[], byte[]> consumer,
    Producer<byte[], byte[]> producer,
    Supplier<Consumer<byte[], byte[]>> restoreConsumers,
    DeadLetterPublisher deadLetters) {}

package dev.voicebus.recorder.loop;

import dev.voicebus.schemas.dlq.DeadLetterPublisher;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Kafka clients of one {@link RecorderLoop}, which takes over and closes both consumers: the
 * group consumer of call.control, audio.in and tool.results (co-partitioned, range-assigned), the
 * group-less consumer of audio.out, the service's producer (shared with the finaliser, not closed
 * here) and the dead-letter publisher on it.
 */
public record LoopClients(
    Consumer<byte[], byte[]> group,
    Consumer<byte[], byte[]> reply,
    Producer<byte[], byte[]> producer,
    DeadLetterPublisher deadLetters) {}

package dev.voicebus.webhooks.consumer;

import dev.voicebus.schemas.dlq.DeadLetterPublisher;
import dev.voicebus.webhooks.delivery.Dispatcher;
import dev.voicebus.webhooks.event.EventMapper;
import dev.voicebus.webhooks.metrics.WebhookMetrics;
import java.time.Clock;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * What outlives one {@link EventLoop} (a restarted loop gets the same): the mapper with its call
 * directory, the subscriptions, the dispatcher, the queue it reports settled deliveries to, the
 * dead-letter publisher for records that break the contract, the restore consumer factory, the
 * metrics and the counter that makes every partition assignment's generation unique.
 */
public record LoopServices(
    EventMapper mapper,
    Subscriptions subscriptions,
    Dispatcher dispatcher,
    Queue<Settled> settled,
    DeadLetterPublisher poisonRecords,
    Supplier<Consumer<byte[], byte[]>> restoreConsumers,
    WebhookMetrics metrics,
    AtomicLong generations,
    Clock clock) {

  /** One delivery (or a dead-lettered poison record) of the record at {@code offset} settled. */
  public record Settled(String topic, int partition, long generation, long offset) {}
}

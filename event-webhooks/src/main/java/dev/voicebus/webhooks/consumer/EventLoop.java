package dev.voicebus.webhooks.consumer;

import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.schemas.dlq.RecordDecoder;
import dev.voicebus.schemas.supervision.SupervisedLoop;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.webhooks.config.Endpoint;
import dev.voicebus.webhooks.consumer.LoopServices.Settled;
import dev.voicebus.webhooks.delivery.Delivery;
import dev.voicebus.webhooks.event.Mapping;
import dev.voicebus.webhooks.event.SourceRef;
import dev.voicebus.webhooks.event.WebhookEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's poll loop: consumes call.control, session.events and tool.results in the group,
 * turns each record into events ({@link dev.voicebus.webhooks.event.EventMapper}), one delivery per
 * subscribed endpoint, and hands them to the {@link dev.voicebus.webhooks.delivery.Dispatcher}
 * without waiting. It commits a record's offset only once each of its deliveries is delivered or
 * dead-lettered ({@link PendingOffsets}), so a crash redelivers; it pauses its partitions while
 * {@code max-pending} deliveries are unsettled, so memory stays bounded while the group heartbeat
 * goes on. Records that break the contract go to the {@code dlq} topic. Only the poll thread
 * touches the consumer and the partition state; a {@link
 * dev.voicebus.schemas.supervision.LoopSupervisor} replaces a loop that fails.
 */
public final class EventLoop implements SupervisedLoop {

  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
  private static final Duration BUSY_POLL = Duration.ofMillis(20);
  private static final Duration IDLE_POLL = Duration.ofMillis(200);

  /** One assignment of one partition. */
  private record Progress(long generation, PendingOffsets offsets) {}

  private final Consumer<byte[], byte[]> consumer;
  private final LoopSettings settings;
  private final LoopServices services;
  private final DirectoryRestorer restorer;
  private final RecordDecoder<String, CallControl> controls =
      new RecordDecoder<>(Topics.CALL_CONTROL);
  private final RecordDecoder<String, SessionEvent> sessions =
      new RecordDecoder<>(Topics.SESSION_EVENTS);
  private final RecordDecoder<String, ToolResult> results =
      new RecordDecoder<>(Topics.TOOL_RESULTS);
  private final Map<TopicPartition, Progress> partitions = new HashMap<>();
  private final Set<Long> generations = new HashSet<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean healthy;
  private volatile boolean paused;
  private long nextCommitNanos;

  public EventLoop(
      Consumer<byte[], byte[]> consumer, LoopSettings settings, LoopServices services) {
    this.consumer = consumer;
    this.settings = settings;
    this.services = services;
    this.restorer = new DirectoryRestorer(services.restoreConsumers());
  }

  @Override
  public void run() {
    try {
      if (!running.get()) {
        return;
      }
      consumer.subscribe(settings.topics(), new Rebalance());
      log.info("Consuming {}", settings.topics());
      while (running.get()) {
        boolean busy = pendingDeliveries() > 0;
        for (ConsumerRecord<byte[], byte[]> raw : consumer.poll(busy ? BUSY_POLL : IDLE_POLL)) {
          accept(raw);
        }
        healthy = true;
        settle();
        commitIfDue(false);
        applyBackpressure();
      }
      drain();
    } finally {
      healthy = false;
      services.dispatcher().cancel(d -> generations.contains(d.generation()));
      try {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
      } catch (RuntimeException e) {
        log.warn("Closing the event consumer failed: {}", e.toString());
      }
    }
  }

  @Override
  public boolean healthy() {
    return healthy;
  }

  @Override
  public void stop() {
    running.set(false);
  }

  /** Partitions this loop owns now (for tests and readiness). */
  public int assignedPartitions() {
    return partitions.size();
  }

  private void accept(ConsumerRecord<byte[], byte[]> raw) {
    TopicPartition tp = new TopicPartition(raw.topic(), raw.partition());
    Progress progress = partitions.get(tp);
    if (progress == null) {
      return;
    }
    var source = new SourceRef(raw.topic(), raw.partition(), raw.offset());
    Mapping mapping;
    try {
      mapping = map(source, raw);
    } catch (RuntimeException e) {
      progress.offsets().started(raw.offset(), 1);
      services
          .poisonRecords()
          .publish(raw, "decode", e)
          .whenComplete(
              (ok, error) -> {
                if (error != null) {
                  failure.compareAndSet(null, error);
                } else {
                  services
                      .settled()
                      .add(
                          new Settled(
                              raw.topic(), raw.partition(), progress.generation(), raw.offset()));
                }
              });
      return;
    }
    mapping.unroutable().ifPresent(reason -> unroutable(source, reason));
    List<Delivery> deliveries = new ArrayList<>();
    for (WebhookEvent event : mapping.events()) {
      services.metrics().event(event.type().wireName());
      for (Endpoint endpoint : services.subscriptions().endpointsFor(event)) {
        deliveries.add(new Delivery(event, endpoint, progress.generation()));
      }
    }
    progress.offsets().started(raw.offset(), deliveries.size());
    services.dispatcher().submit(deliveries);
  }

  private Mapping map(SourceRef source, ConsumerRecord<byte[], byte[]> raw) {
    String topic = raw.topic();
    if (topic.equals(settings.callControlTopic())) {
      Object event = controls.value(raw).getEvent();
      services.mapper().directory().seen(raw.partition(), raw.offset());
      if (event instanceof CallStarted started) {
        return services.mapper().callStarted(source, started);
      }
      if (event instanceof CallEnded ended) {
        return services.mapper().callEnded(source, ended);
      }
      return Mapping.NONE;
    }
    if (topic.equals(settings.sessionEventsTopic())) {
      return services.mapper().sessionEvent(source, sessions.value(raw));
    }
    return services.mapper().toolResult(source, results.value(raw));
  }

  private void unroutable(SourceRef source, String reason) {
    services.metrics().unroutable();
    log.warn("Not delivering the event of {}: {}", source, reason);
  }

  /**
   * Applies what the dispatcher settled; fails the loop if a poison record was not dead-lettered.
   */
  private void settle() {
    Throwable failed = failure.get();
    if (failed != null) {
      throw new IllegalStateException("A record could not be dead-lettered: " + failed, failed);
    }
    Settled done;
    while ((done = services.settled().poll()) != null) {
      Progress progress = partitions.get(new TopicPartition(done.topic(), done.partition()));
      if (progress != null && progress.generation() == done.generation()) {
        progress.offsets().settled(done.offset());
      }
    }
  }

  private void commitIfDue(boolean now) {
    if (!now && System.nanoTime() < nextCommitNanos) {
      return;
    }
    nextCommitNanos = System.nanoTime() + settings.commitInterval().toNanos();
    services.mapper().directory().expire(services.clock().instant());
    Map<TopicPartition, OffsetAndMetadata> offsets = committable(partitions.keySet());
    if (offsets.isEmpty()) {
      return;
    }
    consumer.commitAsync(
        offsets,
        (committed, error) -> {
          if (error != null) {
            log.warn(
                "Committing {} failed; the next commit covers it: {}", committed, error.toString());
            return;
          }
          committed.forEach(this::committed);
        });
  }

  private Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> among) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : among) {
      Progress progress = partitions.get(tp);
      if (progress != null) {
        progress
            .offsets()
            .committable()
            .ifPresent(next -> offsets.put(tp, new OffsetAndMetadata(next)));
      }
    }
    return offsets;
  }

  private void commitSync(Collection<TopicPartition> among) {
    Map<TopicPartition, OffsetAndMetadata> offsets = committable(among);
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets, Duration.ofSeconds(10));
      offsets.forEach(this::committed);
    } catch (RuntimeException e) {
      log.warn(
          "Committing {} failed; those records are delivered again: {}", offsets, e.toString());
    }
  }

  private void committed(TopicPartition tp, OffsetAndMetadata offset) {
    Progress progress = partitions.get(tp);
    if (progress != null) {
      progress.offsets().committed(offset.offset());
    }
    if (tp.topic().equals(settings.callControlTopic())) {
      services.mapper().directory().committed(tp.partition(), offset.offset());
    }
  }

  private int pendingDeliveries() {
    int total = 0;
    for (Progress progress : partitions.values()) {
      total += progress.offsets().deliveries();
    }
    return total;
  }

  private void applyBackpressure() {
    if (pendingDeliveries() >= settings.maxPending()) {
      if (consumer.paused().size() < consumer.assignment().size()) {
        log.warn(
            "{} deliveries are unsettled (event-webhooks.max-pending); pausing consumption",
            pendingDeliveries());
        consumer.pause(consumer.assignment());
      }
    } else if (!consumer.paused().isEmpty()) {
      log.info("Resuming consumption");
      consumer.resume(consumer.paused());
    }
    paused = !consumer.paused().isEmpty();
  }

  /** Graceful stop: take nothing new, give deliveries in flight the grace period, commit. */
  private void drain() {
    consumer.pause(consumer.assignment());
    long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
    while (pendingDeliveries() > 0 && System.nanoTime() < deadline) {
      consumer.poll(BUSY_POLL);
      settle();
    }
    settle();
    commitSync(partitions.keySet());
    if (pendingDeliveries() > 0) {
      log.info(
          "Stopping with {} deliveries unsettled; their records are delivered again by the next"
              + " owner",
          pendingDeliveries());
    }
  }

  /** Whether consumption is paused because too many deliveries are unsettled. */
  public boolean paused() {
    return paused;
  }

  /** Restores the call directory of new call.control partitions; settles what leaves. */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      Map<TopicPartition, Long> positions = new HashMap<>();
      for (TopicPartition tp : assigned) {
        if (tp.topic().equals(settings.callControlTopic())) {
          positions.put(tp, consumer.position(tp));
        }
      }
      Set<Integer> owned = new HashSet<>();
      consumer.assignment().stream()
          .filter(tp -> tp.topic().equals(settings.callControlTopic()))
          .forEach(tp -> owned.add(tp.partition()));
      services.mapper().directory().retainPartitions(owned);
      restorer.restore(positions, services.mapper().directory(), services.clock().instant());
      for (TopicPartition tp : assigned) {
        long generation = services.generations().incrementAndGet();
        generations.add(generation);
        partitions.put(tp, new Progress(generation, new PendingOffsets()));
      }
      log.info("Assigned {}", assigned);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      settle();
      commitSync(revoked);
      forget(revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      forget(lost);
    }

    private void forget(Collection<TopicPartition> gone) {
      Set<Long> dropped = new HashSet<>();
      for (TopicPartition tp : gone) {
        Progress progress = partitions.remove(tp);
        if (progress != null) {
          dropped.add(progress.generation());
        }
      }
      if (!dropped.isEmpty()) {
        services.dispatcher().cancel(d -> dropped.contains(d.generation()));
        log.info("Released {}", gone);
      }
    }
  }
}

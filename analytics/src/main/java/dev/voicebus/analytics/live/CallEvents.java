package dev.voicebus.analytics.live;

import dev.voicebus.avro.CallRecord;
import dev.voicebus.avro.TranscriptEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Live changes of the calls this instance owns, for the event streams of the query API: the stream
 * threads publish each document change and transcript record; each subscriber has a bounded queue,
 * and one that falls behind by more than {@value #QUEUE} events is cut off (its client reconnects
 * and starts from the current document), so a slow reader never holds a stream thread.
 */
public final class CallEvents {

  static final int QUEUE = 1024;

  /** One event of a call's stream. */
  public sealed interface Event {}

  public record DocumentChanged(CallRecord document) implements Event {}

  public record TranscriptRecord(TranscriptEvent transcript) implements Event {}

  /** One reader of one call's events. Close it when done. */
  public final class Subscription implements AutoCloseable {
    private final String callId;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicBoolean overflowed = new AtomicBoolean();

    private Subscription(String callId) {
      this.callId = callId;
    }

    /** The next event within {@code timeoutMs}, or null. */
    public Event next(long timeoutMs) throws InterruptedException {
      return queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    public boolean overflowed() {
      return overflowed.get();
    }

    private void offer(Event event) {
      if (!queue.offer(event)) {
        overflowed.set(true);
      }
    }

    @Override
    public void close() {
      List<Subscription> list = subscribers.get(callId);
      if (list != null) {
        list.remove(this);
        subscribers.computeIfPresent(callId, (id, l) -> l.isEmpty() ? null : l);
      }
    }
  }

  private final Map<String, List<Subscription>> subscribers = new ConcurrentHashMap<>();

  public Subscription subscribe(String callId) {
    var subscription = new Subscription(callId);
    subscribers.computeIfAbsent(callId, id -> new CopyOnWriteArrayList<>()).add(subscription);
    return subscription;
  }

  public void documentChanged(CallRecord document) {
    publish(document.getCallId(), new DocumentChanged(document));
  }

  public void transcript(TranscriptEvent transcript) {
    publish(transcript.getCallId(), new TranscriptRecord(transcript));
  }

  public int subscriberCount() {
    return subscribers.values().stream().mapToInt(List::size).sum();
  }

  private void publish(String callId, Event event) {
    List<Subscription> list = subscribers.get(callId);
    if (list != null) {
      list.forEach(s -> s.offer(event));
    }
  }
}

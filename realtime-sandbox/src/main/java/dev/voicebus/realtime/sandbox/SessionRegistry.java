package dev.voicebus.realtime.sandbox;

import dev.voicebus.realtime.sandbox.protocol.EventSink;
import dev.voicebus.realtime.sandbox.protocol.SessionRecord;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records of live sessions, plus the most recent closed ones (bounded), so tests can inspect a
 * session after its socket closed without the registry growing during a load test.
 */
final class SessionRegistry {
  private static final int MAX_CLOSED = 2000;

  private final Map<String, SessionRecord> live = new ConcurrentHashMap<>();
  private final Map<String, EventSink> sinks = new ConcurrentHashMap<>();
  private final ConcurrentLinkedDeque<SessionRecord> closed = new ConcurrentLinkedDeque<>();
  private final AtomicInteger closedCount = new AtomicInteger();
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  /** Open WebSocket channels (closed ones leave the group by themselves). */
  ChannelGroup channels() {
    return channels;
  }

  void opened(SessionRecord record, EventSink sink) {
    live.put(record.sessionId(), record);
    sinks.put(record.sessionId(), sink);
  }

  /** The socket side of a live session, to end it from outside (tests). */
  Optional<EventSink> sink(String sessionId) {
    return Optional.ofNullable(sinks.get(sessionId));
  }

  void closed(SessionRecord record) {
    sinks.remove(record.sessionId());
    if (live.remove(record.sessionId()) != null) {
      closed.addLast(record);
      if (closedCount.incrementAndGet() > MAX_CLOSED && closed.pollFirst() != null) {
        closedCount.decrementAndGet();
      }
    }
  }

  int liveCount() {
    return live.size();
  }

  List<SessionRecord> all() {
    List<SessionRecord> out = new ArrayList<>(closed);
    out.addAll(live.values());
    return out;
  }

  Optional<SessionRecord> find(String sessionId) {
    SessionRecord r = live.get(sessionId);
    if (r != null) {
      return Optional.of(r);
    }
    return closed.stream().filter(c -> c.sessionId().equals(sessionId)).findFirst();
  }
}

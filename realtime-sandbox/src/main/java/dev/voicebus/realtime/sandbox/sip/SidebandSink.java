package dev.voicebus.realtime.sandbox.sip;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.realtime.sandbox.protocol.EventSink;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where a SIP call's session sends its events: the sideband socket attached last, if any (events
 * while none is attached are lost, as they would be with OpenAI). A fault closes that socket, not
 * the call. Confined to the call's event loop.
 */
final class SidebandSink implements EventSink {
  private final ScheduledExecutorService loop;
  private EventSink socket;

  SidebandSink(ScheduledExecutorService loop) {
    this.loop = loop;
  }

  /** Makes {@code next} the attached socket; returns the one it replaces, or null. */
  EventSink attach(EventSink next) {
    EventSink previous = socket;
    socket = next;
    return previous;
  }

  /** Forgets {@code gone} if it is the attached socket. */
  void detach(EventSink gone) {
    if (socket == gone) {
      socket = null;
    }
  }

  boolean isAttached(EventSink candidate) {
    return socket == candidate && candidate != null;
  }

  @Override
  public void send(ObjectNode event) {
    if (socket != null) {
      socket.send(event);
    }
  }

  @Override
  public void close(int code, String reason) {
    if (socket != null) {
      socket.close(code, reason);
      socket = null;
    }
  }

  @Override
  public void drop() {
    if (socket != null) {
      socket.drop();
      socket = null;
    }
  }

  @Override
  public boolean writable() {
    return socket == null || socket.writable();
  }

  @Override
  public ScheduledExecutorService executor() {
    return loop;
  }
}

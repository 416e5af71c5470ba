package dev.voicebus.realtime.client;

import dev.voicebus.realtime.event.ServerEvent;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/** A listener that records every callback, and the threads they ran on, for assertions. */
class RecordingListener implements RealtimeListener {

  final BlockingQueue<ServerEvent> events = new LinkedBlockingQueue<>();
  final BlockingQueue<CloseStatus> closes = new LinkedBlockingQueue<>();
  final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
  final Set<String> threads = ConcurrentHashMap.newKeySet();

  @Override
  public void onEvent(ServerEvent event) {
    threads.add(Thread.currentThread().getName());
    events.add(event);
  }

  @Override
  public void onClose(int code, String reason) {
    threads.add(Thread.currentThread().getName());
    closes.add(new CloseStatus(code, reason));
  }

  @Override
  public void onError(Throwable error) {
    threads.add(Thread.currentThread().getName());
    errors.add(error);
  }
}

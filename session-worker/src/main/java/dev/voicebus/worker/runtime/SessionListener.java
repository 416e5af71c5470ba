package dev.voicebus.worker.runtime;

import dev.voicebus.realtime.client.RealtimeListener;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.worker.session.CallCoordinator;
import dev.voicebus.worker.session.Effect;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes one Realtime connection's callbacks to its call, tagged with the session generation so a
 * replaced connection's late events are recognised. The server may send its first events before the
 * connect future's completion has been handed to the call; those are held until it has, so the call
 * always learns that the session is open before it hears from it.
 */
final class SessionListener implements RealtimeListener {

  private static final Logger log = LoggerFactory.getLogger(SessionListener.class);

  private final int generation;
  private final Consumer<Function<CallCoordinator, List<Effect>>> call;
  private final List<Function<CallCoordinator, List<Effect>>> early = new ArrayList<>();
  private volatile boolean open;

  SessionListener(int generation, Consumer<Function<CallCoordinator, List<Effect>>> call) {
    this.generation = generation;
    this.call = call;
  }

  /** The connection is open: the call hears that first, then any event that came before. */
  synchronized void opened(Function<CallCoordinator, List<Effect>> openedInput) {
    call.accept(openedInput);
    early.forEach(call);
    early.clear();
    open = true;
  }

  @Override
  public void onEvent(ServerEvent event) {
    deliver(c -> c.onServerEvent(generation, event));
  }

  @Override
  public void onClose(int code, String reason) {
    deliver(c -> c.onSessionClosed(generation, code, reason));
  }

  @Override
  public void onError(Throwable error) {
    log.warn("Realtime socket error (session generation {}): {}", generation, error.toString());
  }

  private void deliver(Function<CallCoordinator, List<Effect>> input) {
    if (!open) {
      synchronized (this) {
        if (!open) {
          early.add(input);
          return;
        }
      }
    }
    call.accept(input);
  }
}

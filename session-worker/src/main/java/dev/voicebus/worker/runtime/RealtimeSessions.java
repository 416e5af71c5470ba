package dev.voicebus.worker.runtime;

import dev.voicebus.worker.session.CallContext;
import dev.voicebus.worker.session.CallCoordinator;
import dev.voicebus.worker.state.CallState;
import dev.voicebus.worker.topology.LiveCalls;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker's live calls: a {@link CallCoordinator} per call, run by a {@link LiveCall}. It keeps
 * the calls whose session is not over, for the live-calls and sessions-by-state gauges.
 */
public final class RealtimeSessions implements LiveCalls {

  private final SessionServices services;
  private final Set<LiveCall> live = ConcurrentHashMap.newKeySet();

  public RealtimeSessions(SessionServices services) {
    this.services = services;
    services.metrics().liveCalls(live::size);
    for (String state : List.of("connecting", "open", "reconnecting")) {
      services
          .metrics()
          .sessions(state, () -> live.stream().filter(c -> c.sessionPhase().equals(state)).count());
    }
  }

  @Override
  public Call open(
      CallContext context, CallState state, Optional<String> resumeReason, Runnable stateChanged) {
    var coordinator =
        new CallCoordinator(
            context,
            state,
            services.settings(),
            services.clock(),
            services.metrics(),
            services.tracing());
    var call = new LiveCall(context, coordinator, services, stateChanged, live::remove);
    live.add(call);
    call.start(resumeReason);
    return call;
  }
}

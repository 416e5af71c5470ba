package dev.voicebus.worker.runtime;

import dev.voicebus.worker.session.CallContext;
import dev.voicebus.worker.session.CallCoordinator;
import dev.voicebus.worker.state.CallState;
import dev.voicebus.worker.topology.LiveCalls;
import java.util.Optional;

/** The worker's live calls: a {@link CallCoordinator} per call, run by a {@link LiveCall}. */
public final class RealtimeSessions implements LiveCalls {

  private final SessionServices services;

  public RealtimeSessions(SessionServices services) {
    this.services = services;
  }

  @Override
  public Call open(
      CallContext context, CallState state, Optional<String> resumeReason, Runnable stateChanged) {
    var coordinator =
        new CallCoordinator(
            context, state, services.settings(), services.clock(), services.metrics());
    var call = new LiveCall(context, coordinator, services, stateChanged);
    call.start(resumeReason);
    return call;
  }
}

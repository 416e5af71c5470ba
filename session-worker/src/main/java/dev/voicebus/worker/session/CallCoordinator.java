package dev.voicebus.worker.session;

import dev.voicebus.avro.PlaybackMark;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.observability.trace.Tracing;
import dev.voicebus.realtime.client.RealtimeConnection;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.worker.config.CallSettings;
import dev.voicebus.worker.metrics.WorkerMetrics;
import dev.voicebus.worker.metrics.WorkerMetrics.ReconnectCause;
import dev.voicebus.worker.state.CallState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live call's decisions. Every input (caller audio, tool results, playback marks, Realtime
 * server events, session open/close, timers, the call's end or hand-over) goes to the part that
 * owns that concern — {@link SessionLink} (connection lifecycle), {@link AgentTurns}, {@link
 * CallerTurns}, {@link ToolCalls}, {@link BargeIn}, {@link SessionSetup}, {@link CallClosing} — and
 * comes back as the list of {@link Effect}s to carry out. The coordinator does no I/O and keeps the
 * call's durable state as its only copy, changed through typed {@link StateChange}s. Not
 * thread-safe: the runtime hands it one input at a time.
 */
public final class CallCoordinator {

  private static final Logger log = LoggerFactory.getLogger(CallCoordinator.class);

  private final CallScope scope;
  private final SessionLink link;
  private final AgentTurns agent;
  private final CallerTurns caller;
  private final ToolCalls tools;
  private final KeypadInput keypad;
  private final SessionSetup setup;
  private final CallClosing closing;
  private final ServerEvents serverEvents;
  private Instant lastCallerAudio;
  private boolean rotationDue;

  public CallCoordinator(
      CallContext call,
      CallState state,
      CallSettings settings,
      Clock clock,
      WorkerMetrics metrics) {
    this(call, state, settings, clock, metrics, Tracing.off());
  }

  /** A coordinator whose call, turn and tool call spans go to {@code tracing}. */
  public CallCoordinator(
      CallContext call,
      CallState state,
      CallSettings settings,
      Clock clock,
      WorkerMetrics metrics,
      Tracing tracing) {
    this.scope = new CallScope(call, settings, state, clock, metrics, tracing);
    this.link = scope.link();
    this.agent = new AgentTurns(scope);
    this.caller = new CallerTurns(scope);
    var actions = new CallActions(scope, agent);
    this.tools = new ToolCalls(scope, agent, actions);
    this.keypad = new KeypadInput(scope, agent);
    this.setup = new SessionSetup(scope, agent);
    this.closing = new CallClosing(scope, tools);
    this.serverEvents = new ServerEvents(scope, agent, caller, tools, actions, closing);
  }

  public String callId() {
    return scope.callId();
  }

  /** Where the call's Realtime session is (connecting, open, reconnecting, ended); any thread. */
  public String sessionPhase() {
    return link.phase();
  }

  /** The call's durable state; safe to read from any thread. */
  public CallState state() {
    return scope.state();
  }

  /**
   * Opens the call's session; with a {@code resumeReason} (failover, hand-over) the new session
   * gets the conversation replayed and pending tool calls keep their deadlines.
   */
  public List<Effect> start(Optional<String> resumeReason) {
    Instant now = scope.now();
    lastCallerAudio = now;
    scope.trace.start(scope.call, state().getTraceparent(), resumeReason, now);
    link.start(
        resumeReason.map(
            reason -> new SessionLink.Break(ReconnectCause.FAILOVER, reason, null, now)));
    if (resumeReason.isPresent()) {
      scope.metrics.failover();
    }
    tools.restorePending();
    Duration elapsed = Duration.ofMillis(now.toEpochMilli() - state().getStartedAtMs());
    scope.startTimer(TimerKey.Call.MAX_DURATION, scope.settings.maxCallDuration().minus(elapsed));
    scope.startTimer(TimerKey.Call.IDLE_CHECK, scope.settings.callIdleTimeout());
    return scope.drain();
  }

  /** The caller's next audio chunk, already in seq order; {@code producedAt} is its arrival. */
  public List<Effect> onCallerAudio(byte[] payload, Instant producedAt) {
    Instant now = scope.now();
    lastCallerAudio = now;
    if (link.audio(payload)) {
      scope.metrics.frameForwarded(Duration.between(producedAt, now));
    }
    return scope.drain();
  }

  public List<Effect> onToolResult(ToolResult result) {
    return onToolResult(result, null);
  }

  /**
   * A tool's result; {@code traceparent} (its record's header, may be null) names the tool
   * executor's span that answered.
   */
  public List<Effect> onToolResult(ToolResult result, String traceparent) {
    if (!link.isEnded()) {
      tools.onResult(result, traceparent);
    }
    return scope.drain();
  }

  /** The caller pressed a key. */
  public List<Effect> onKeypad(String digit) {
    if (!link.isEnded()) {
      keypad.onDigit(digit);
    }
    return scope.drain();
  }

  /** The caller's ingest node played agent audio up to a point. */
  public List<Effect> onPlaybackMark(PlaybackMark mark) {
    if (mark.getItemId() != null && mark.getPlayedMs() != null && !mark.getCleared()) {
      agent.playback().onPlayed(mark.getItemId(), mark.getPlayedMs());
    }
    return scope.drain();
  }

  public List<Effect> onSessionOpened(int generation, RealtimeConnection connection) {
    if (link.isCurrent(generation)) {
      rotationDue = false;
      setup.onOpened(link.opened(connection));
    } else {
      scope.emit(new Effect.CloseSession(connection, 1000, "no longer needed"));
    }
    return scope.drain();
  }

  /** Opening session {@code generation} failed; {@code fatal} when retrying cannot help. */
  public List<Effect> onSessionFailed(int generation, String message, boolean fatal) {
    if (link.isCurrent(generation)) {
      log.warn("[{}] Realtime connect failed: {}", callId(), message);
      if (!link.failed(message, fatal)) {
        closing.fail(
            "realtime_unavailable", "Realtime session lost and not recoverable: " + message);
      }
    }
    return scope.drain();
  }

  public List<Effect> onSessionClosed(int generation, int code, String reason) {
    if (link.isCurrent(generation) && link.isOpen()) {
      log.warn("[{}] Realtime socket closed: {} {}", callId(), code, reason);
      agent.settleCutOff();
      agent.sessionReplaced();
      link.closed(code, reason);
    }
    return scope.drain();
  }

  public List<Effect> onServerEvent(int generation, ServerEvent event) {
    if (link.isCurrent(generation) && link.isOpen()) {
      serverEvents.route(event);
    }
    return scope.drain();
  }

  public List<Effect> onTimer(TimerKey key) {
    if (link.isEnded()) {
      return scope.drain();
    }
    if (key instanceof TimerKey.ToolDeadline deadline) {
      tools.onDeadline(deadline.toolCallId());
    } else if (key == TimerKey.Call.RECONNECT) {
      link.reconnectDue();
    } else if (key == TimerKey.Call.ROTATION) {
      rotationDue = true;
      maybeRotate();
    } else if (key == TimerKey.Call.MAX_DURATION) {
      closing.fail(
          "max_call_duration",
          "The call reached the maximum duration of " + scope.settings.maxCallDuration());
    } else if (key == TimerKey.Call.IDLE_CHECK) {
      checkIdle();
    } else if (key == TimerKey.Call.KEYPAD) {
      keypad.onTimeout();
    }
    return scope.drain();
  }

  /** The call ended (CallEnded from ingest): close for good and publish the call's totals. */
  public List<Effect> end(String reason) {
    if (!link.isEnded()) {
      closing.end(reason);
    }
    return scope.drain();
  }

  /**
   * This worker no longer owns the call (rebalance, shutdown): close the session without ending the
   * call. A line the agent was speaking is settled as interrupted, and the new owner asks for a
   * response after its replay.
   */
  public List<Effect> handOver() {
    if (!link.isEnded()) {
      agent.settleCutOff();
      closing.handOver();
    }
    return scope.drain();
  }

  /**
   * Replaces the session before the server's cap ends it, but only between turns: no response
   * active, nothing of the agent's audio still playing, the caller not speaking. Otherwise it
   * checks again shortly.
   */
  private void maybeRotate() {
    if (!rotationDue || !link.isOpen()) {
      return;
    }
    if (agent.gate().state() != ResponseGate.State.IDLE
        || agent.playback().isPlaying()
        || caller.isSpeaking()) {
      scope.startTimer(TimerKey.Call.ROTATION, Duration.ofMillis(250));
      return;
    }
    log.info("[{}] Rotating the Realtime session between turns", callId());
    rotationDue = false;
    agent.sessionReplaced();
    link.rotate();
  }

  /** A call whose CallEnded was lost ends itself once its caller audio has stopped long enough. */
  private void checkIdle() {
    Duration idle = Duration.between(lastCallerAudio, scope.now());
    Duration limit = scope.settings.callIdleTimeout();
    if (idle.compareTo(limit) >= 0) {
      closing.fail(
          "call_idle_timeout",
          "No caller audio for " + idle.toSeconds() + " s (limit " + limit + ")");
    } else {
      scope.startTimer(TimerKey.Call.IDLE_CHECK, limit.minus(idle));
    }
  }
}

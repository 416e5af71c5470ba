package dev.voicebus.worker.session;

import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.ErrorSource;
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
 *
 * <p>A SIP call (OpenAI carries it; its audio never reaches the worker) is accepted through the
 * calls API with the profile's session configuration and run over a sideband socket attached by its
 * OpenAI call id; the answers of the calls API come back as {@link CallsAnswer}s. The call is over
 * when OpenAI no longer knows it (an attach refused as gone), when the agent hangs up or transfers
 * it, or when the worker ends it; a sideband taken over by another owner (close {@value
 * #SIDEBAND_TAKEN_OVER}) leaves the call to that owner.
 */
public final class CallCoordinator {

  private static final Logger log = LoggerFactory.getLogger(CallCoordinator.class);

  /** The close code of a sideband socket replaced by another one attached to the same call. */
  public static final int SIDEBAND_TAKEN_OVER = 4001;

  private final CallScope scope;
  private final SessionLink link;
  private final AgentTurns agent;
  private final CallerTurns caller;
  private final ToolCalls tools;
  private final CallActions actions;
  private final KeypadInput keypad;
  private final SessionSetup setup;
  private final CallClosing closing;
  private final ServerEvents serverEvents;
  private Instant lastCallerAudio;
  private boolean rotationDue;
  private String goneDuringRefer;

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
    // The tool calls are created after the closing, which only forgets them when the call stops.
    this.closing = new CallClosing(scope, this::forgetTools);
    this.actions = new CallActions(scope, agent, closing);
    this.tools = new ToolCalls(scope, agent, actions);
    this.keypad = new KeypadInput(scope, agent);
    this.setup = new SessionSetup(scope, agent);
    this.serverEvents = new ServerEvents(scope, agent, caller, tools, actions, closing, keypad);
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
    if (!scope.call.isSip()) {
      // A SIP call's caller audio never reaches the worker; OpenAI tells when the call is over.
      scope.startTimer(TimerKey.Call.IDLE_CHECK, scope.settings.callIdleTimeout());
    }
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
            "realtime_unavailable",
            "Realtime session lost and not recoverable: " + message,
            CallEndReason.ERROR);
      }
    }
    return scope.drain();
  }

  public List<Effect> onSessionClosed(int generation, int code, String reason) {
    if (link.isCurrent(generation) && link.isOpen()) {
      if (scope.call.isSip() && code == SIDEBAND_TAKEN_OVER) {
        closing.yieldToNewOwner(code, reason);
        return scope.drain();
      }
      log.warn("[{}] Realtime socket closed: {} {}", callId(), code, reason);
      if (!scope.call.isSip()) {
        // A SIP call's agent goes on speaking at OpenAI while its sideband is away.
        agent.settleCutOff();
      }
      agent.sessionReplaced();
      link.closed(code, reason);
    }
    return scope.drain();
  }

  /**
   * OpenAI answered the accept of this SIP call: accepted (now or by a previous owner) attaches the
   * sideband; a call already gone is over; a failure is retried with backoff when it may pass, and
   * otherwise ends the call (it is rejected with SIP 503).
   */
  public List<Effect> onAcceptAnswered(CallsAnswer answer) {
    if (!link.isAccepting()) {
      return scope.drain();
    }
    if (answer instanceof CallsAnswer.Done || answer instanceof CallsAnswer.AlreadyAccepted) {
      log.info(
          "[{}] SIP call {} {}; attaching its sideband",
          callId(),
          scope.call.externalCallId(),
          answer instanceof CallsAnswer.Done ? "accepted" : "was accepted before");
      link.accepted();
    } else if (answer instanceof CallsAnswer.CallGone gone) {
      closing.sipCallOver(
          CallEndReason.CALLER_HANGUP,
          "the call was gone before it was answered: " + gone.detail(),
          null);
    } else if (answer instanceof CallsAnswer.Failed failed) {
      log.warn("[{}] Accepting the SIP call failed: {}", callId(), failed.detail());
      if (!link.acceptFailed(failed.retriable())) {
        closing.fail(
            "sip_accept_failed",
            "OpenAI did not accept the call: " + failed.detail(),
            CallEndReason.ERROR);
      }
    }
    return scope.drain();
  }

  /**
   * Attaching session {@code generation} to this SIP call was refused because OpenAI no longer
   * knows the call: it is over (the caller hung up, or its REFER completed).
   */
  public List<Effect> onCallGone(int generation, String detail) {
    if (!link.isCurrent(generation)) {
      return scope.drain();
    }
    if (actions.isReferring()) {
      // The REFER's own answer says whether the caller went to the target.
      log.info("[{}] The call is gone while its transfer is answered: {}", callId(), detail);
      goneDuringRefer = detail;
      return scope.drain();
    }
    closing.sipCallOver(
        CallEndReason.CALLER_HANGUP, "the call ended at OpenAI (" + detail + ")", null);
    return scope.drain();
  }

  /**
   * OpenAI answered the REFER of transfer {@code toolCallId}: done ends the call as transferred; a
   * failure goes to the model as the transfer's tool error, and the call goes on.
   */
  public List<Effect> onReferAnswered(String toolCallId, CallsAnswer answer) {
    if (link.isEnded()) {
      return scope.drain();
    }
    if (!(answer instanceof CallsAnswer.Failed failed)) {
      actions.referEnded(toolCallId, answer);
    } else if (goneDuringRefer != null) {
      closing.sipCallOver(
          CallEndReason.CALLER_HANGUP,
          "the call ended at OpenAI (" + goneDuringRefer + ") and its transfer failed",
          null);
    } else {
      log.warn("[{}] Transfer failed: {}", callId(), failed.detail());
      tools.transferFailed(toolCallId, failed.detail());
    }
    return scope.drain();
  }

  /** OpenAI answered the hang-up of this SIP call (which was over here already). */
  public List<Effect> onHangUpAnswered(CallsAnswer answer) {
    if (answer instanceof CallsAnswer.Failed failed) {
      scope.error(
          ErrorSource.WORKER,
          "sip_hangup_failed",
          "OpenAI did not hang the call up: " + failed.detail(),
          false);
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
    } else if (key == TimerKey.Call.RECONNECT && link.isAccepting()) {
      link.acceptDue();
    } else if (key == TimerKey.Call.RECONNECT) {
      link.reconnectDue();
    } else if (key == TimerKey.Call.ROTATION) {
      rotationDue = true;
      maybeRotate();
    } else if (key == TimerKey.Call.MAX_DURATION) {
      closing.fail(
          "max_call_duration",
          "The call reached the maximum duration of " + scope.settings.maxCallDuration(),
          CallEndReason.MAX_DURATION);
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
      if (!scope.call.isSip()) {
        agent.settleCutOff();
      }
      closing.handOver();
    }
    return scope.drain();
  }

  private void forgetTools() {
    tools.forget();
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
          "No caller audio for " + idle.toSeconds() + " s (limit " + limit + ")",
          CallEndReason.IDLE_TIMEOUT);
    } else {
      scope.startTimer(TimerKey.Call.IDLE_CHECK, limit.minus(idle));
    }
  }
}

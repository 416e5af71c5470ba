package dev.voicebus.worker.session;

import dev.voicebus.realtime.client.RealtimeConnection;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.worker.metrics.WorkerMetrics.ReconnectCause;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * The Realtime connection lifecycle of one call, as a sealed state machine. It owns the session
 * generations (events of a replaced connection are recognised and ignored), the reconnect backoff,
 * and the caller audio held while no session is open.
 *
 * <pre>
 *            start              opened
 *   (new) ---------> Connecting ------> Open --- closed ---> Reconnecting
 *                     ^  |  ^            |                      |
 *                     |  |  +- rotate ---+                      |
 *                     |  +-- failed ---> Reconnecting           |
 *                     +------------- reconnectDue --------------+
 *
 *   Connecting, Open, Reconnecting --- end ---> Ended     (failed with fatal or no attempts left: Ended)
 * </pre>
 *
 * Every other move throws {@link IllegalStateException}: the coordinator filters stale generations
 * before it asks for a transition, so an illegal move is a bug, not a race.
 */
final class SessionLink {

  /** Where the link is; {@code generation} numbers the sessions opened for the call. */
  sealed interface State {
    int generation();
  }

  /** Opening session {@code generation}: the {@code attempt}-th try since {@code cause}. */
  record Connecting(int generation, Break cause, int attempt) implements State {}

  /** Session {@code generation} is open. */
  record Open(int generation, RealtimeConnection connection) implements State {}

  /** Waiting out the backoff after {@code attempt} tries since {@code cause}. */
  record Reconnecting(int generation, Break cause, int attempt) implements State {}

  /** No session will be opened again for this call on this worker. */
  record Ended(int generation) implements State {}

  /**
   * Why the call is (re)opening a session: a worker failover, a lost socket, a rotation, a failed
   * first connect. Reported, with the gap since {@code at}, once the new session is open.
   */
  record Break(ReconnectCause cause, String reason, Integer closeCode, Instant at) {}

  private final CallScope scope;
  private final ArrayDeque<byte[]> held = new ArrayDeque<>();
  // Written by whichever thread handles the call's input; read by the metrics scrape.
  private volatile State state;

  SessionLink(CallScope scope) {
    this.scope = scope;
  }

  State state() {
    return state;
  }

  /** The state's name for the sessions gauge: connecting, open, reconnecting, ended. */
  String phase() {
    State now = state;
    if (now instanceof Open) {
      return "open";
    }
    if (now instanceof Reconnecting) {
      return "reconnecting";
    }
    return now instanceof Ended ? "ended" : "connecting";
  }

  boolean isOpen() {
    return state instanceof Open;
  }

  boolean isEnded() {
    return state instanceof Ended;
  }

  /** Whether events tagged {@code generation} come from the session in use (open or opening). */
  boolean isCurrent(int generation) {
    return state != null && !(state instanceof Ended) && state.generation() == generation;
  }

  /** Opens the call's first session; {@code cause} is the failover being resumed, or empty. */
  void start(Optional<Break> cause) {
    if (state != null) {
      throw illegal("start");
    }
    state = new Connecting(1, cause.orElse(null), 1);
    scope.emit(new Effect.OpenSession(1));
  }

  /** The session being opened is open; returns what it was opened after. */
  Connecting opened(RealtimeConnection connection) {
    var connecting = expect(Connecting.class, "open a session");
    state = new Open(connecting.generation(), connection);
    return connecting;
  }

  /**
   * Opening failed. Returns false when the link gives up ({@code fatal}, or no attempts left) and
   * has ended; otherwise a retry is scheduled.
   */
  boolean failed(String message, boolean fatal) {
    var connecting = expect(Connecting.class, "fail to connect");
    Break cause =
        connecting.cause() != null
            ? connecting.cause()
            : new Break(
                ReconnectCause.CONNECT_FAILED, "connect failed: " + message, null, scope.now());
    if (fatal || connecting.attempt() >= scope.settings.reconnect().maxAttempts()) {
      state = new Ended(connecting.generation());
      return false;
    }
    state = new Reconnecting(connecting.generation(), cause, connecting.attempt());
    scope.startTimer(
        TimerKey.Call.RECONNECT, scope.settings.reconnect().delay(connecting.attempt() + 1));
    return true;
  }

  /** The open session's socket closed. */
  void closed(int code, String reason) {
    var open = expect(Open.class, "lose the session");
    var cause =
        new Break(
            ReconnectCause.SOCKET_CLOSED,
            "socket closed" + (reason == null ? "" : ": " + reason),
            code,
            scope.now());
    state = new Reconnecting(open.generation(), cause, 0);
    scope.startTimer(TimerKey.Call.RECONNECT, scope.settings.reconnect().delay(1));
  }

  /** The backoff is over: open the next session. */
  void reconnectDue() {
    var waiting = expect(Reconnecting.class, "reconnect");
    int next = waiting.generation() + 1;
    state = new Connecting(next, waiting.cause(), waiting.attempt() + 1);
    scope.emit(new Effect.OpenSession(next));
  }

  /** Replaces the open session by a new one (before the server's session cap). */
  void rotate() {
    var open = expect(Open.class, "rotate the session");
    int next = open.generation() + 1;
    state =
        new Connecting(
            next, new Break(ReconnectCause.ROTATION, "proactive rotation", null, scope.now()), 1);
    scope.emit(
        new Effect.CloseSession(
            open.connection(), 1000, "rotating the session before its maximum duration"));
    scope.emit(new Effect.OpenSession(next));
  }

  /** No more sessions for this call here; the open one, if any, is closed. */
  void end(int code, String reason) {
    if (state == null || state instanceof Ended) {
      throw illegal("end");
    }
    if (state instanceof Open open) {
      scope.emit(new Effect.CloseSession(open.connection(), code, reason));
    }
    held.clear();
    state = new Ended(state.generation());
  }

  /** Sends {@code event} if a session is open; false if not. */
  boolean send(ClientEvent event) {
    if (state instanceof Open open) {
      scope.emit(new Effect.ToRealtime(open.connection(), event));
      return true;
    }
    return false;
  }

  /**
   * The caller's next audio: sent when a session is open and its socket can take more, else held
   * (the oldest held frame is dropped beyond {@code maxBufferedFrames}) and sent, in order, before
   * the next frame that can go. False when it was not sent now.
   */
  boolean audio(byte[] payload) {
    if (state instanceof Open open && open.connection().isWritable()) {
      releaseHeldAudio();
      send(ClientEvent.InputAudioBufferAppend.of(payload));
      return true;
    }
    if (!(state instanceof Ended)) {
      if (held.size() >= scope.settings.maxBufferedFrames()) {
        held.pollFirst();
        scope.metrics.audioGap();
      }
      held.addLast(payload);
    }
    return false;
  }

  /** Sends the audio held while no session was open (after the replay, so it follows it). */
  void releaseHeldAudio() {
    while (!held.isEmpty()) {
      send(ClientEvent.InputAudioBufferAppend.of(held.pollFirst()));
    }
  }

  private <T extends State> T expect(Class<T> type, String move) {
    if (!type.isInstance(state)) {
      throw illegal(move);
    }
    return type.cast(state);
  }

  private IllegalStateException illegal(String move) {
    return new IllegalStateException(
        "Call " + scope.callId() + ": cannot " + move + " while the session link is " + state);
  }
}

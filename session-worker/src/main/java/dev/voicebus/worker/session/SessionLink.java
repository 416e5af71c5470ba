package dev.voicebus.worker.session;

import dev.voicebus.realtime.client.RealtimeConnection;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.worker.metrics.WorkerMetrics.ReconnectCause;
import dev.voicebus.worker.realtime.SessionConfigs;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * The Realtime connection lifecycle of one call, as a sealed state machine. It owns the session
 * generations (events of a replaced connection are recognised and ignored), the reconnect backoff,
 * and the caller audio held while no session is open. A SIP call (OpenAI carries it) is first
 * accepted over the calls API and its session is then attached by call id, not opened; client
 * events decided while its sideband is away are held and sent once it is back, since its
 * conversation lives on in OpenAI's session and nothing is replayed.
 *
 * <pre>
 *   (new) --start (SIP)--> Accepting --accepted--> Connecting     (failed, retriable: Accepting again
 *                                                                   after the backoff)
 *
 *            start              opened
 *   (new) ---------> Connecting ------> Open --- closed ---> Reconnecting
 *                     ^  |  ^            |                      |
 *                     |  |  +- rotate ---+                      |
 *                     |  +-- failed ---> Reconnecting           |
 *                     +------------- reconnectDue --------------+
 *
 *   Accepting, Connecting, Open, Reconnecting --- end ---> Ended
 *   Open --- lost (another owner attached) ---> Ended    (failed with fatal or no attempts left: Ended)
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

  /** A SIP call being accepted: the {@code attempt}-th try; its session is attached after. */
  record Accepting(int generation, Break cause, int attempt) implements State {}

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

  /** Client events of a SIP call held while its sideband is away, at most this many. */
  static final int MAX_HELD_EVENTS = 256;

  private final ArrayDeque<byte[]> held = new ArrayDeque<>();
  private final ArrayDeque<ClientEvent> heldEvents = new ArrayDeque<>();
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
    // Accepting a SIP call counts as connecting: its session is not there yet.
    return now instanceof Ended ? "ended" : "connecting";
  }

  boolean isOpen() {
    return state instanceof Open;
  }

  boolean isEnded() {
    return state instanceof Ended;
  }

  boolean isAccepting() {
    return state instanceof Accepting;
  }

  /** Whether events tagged {@code generation} come from the session in use (open or opening). */
  boolean isCurrent(int generation) {
    return state != null && !(state instanceof Ended) && state.generation() == generation;
  }

  /**
   * Opens the call's first session (a SIP call: accepts the call first); {@code cause} is the
   * failover being resumed, or empty.
   */
  void start(Optional<Break> cause) {
    if (state != null) {
      throw illegal("start");
    }
    if (scope.call.isSip()) {
      state = new Accepting(1, cause.orElse(null), 1);
      askToAccept();
      return;
    }
    state = new Connecting(1, cause.orElse(null), 1);
    open(1);
  }

  /** The SIP call is accepted (now, or by a previous owner): attach its session. */
  void accepted() {
    var accepting = expect(Accepting.class, "attach an accepted call");
    state = new Connecting(accepting.generation(), accepting.cause(), 1);
    open(accepting.generation());
  }

  /**
   * Accepting failed. Returns false when the link gives up (not {@code retriable}, or no attempts
   * left): it stays accepting, for the caller to end the call (the call is rejected then, as it was
   * never answered); otherwise the accept is asked again after the backoff.
   */
  boolean acceptFailed(boolean retriable) {
    var accepting = expect(Accepting.class, "fail to accept");
    if (!retriable || accepting.attempt() >= scope.settings.reconnect().maxAttempts()) {
      return false;
    }
    state = new Accepting(accepting.generation(), accepting.cause(), accepting.attempt() + 1);
    scope.startTimer(
        TimerKey.Call.RECONNECT, scope.settings.reconnect().delay(accepting.attempt() + 1));
    return true;
  }

  /** The backoff after a failed accept is over: ask again. */
  void acceptDue() {
    expect(Accepting.class, "accept again");
    askToAccept();
  }

  private void askToAccept() {
    scope.emit(
        new Effect.AcceptCall(SessionConfigs.forCall(scope.call.profile(), scope.call.codec())));
  }

  /** Opens (a SIP call: attaches) session {@code generation}. */
  private void open(int generation) {
    scope.emit(
        scope.call.isSip()
            ? new Effect.AttachSession(generation)
            : new Effect.OpenSession(generation));
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
    open(next);
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
    heldEvents.clear();
    state = new Ended(state.generation());
  }

  /**
   * The open session's socket was taken from this worker (another owner attached to the SIP call):
   * nothing more for the call here, and nothing to close.
   */
  void lost() {
    var open = expect(Open.class, "give the session up");
    held.clear();
    heldEvents.clear();
    state = new Ended(open.generation());
  }

  /**
   * Sends {@code event} if a session is open; false if not. A SIP call's events are held while its
   * sideband is away (the oldest dropped beyond {@link #MAX_HELD_EVENTS}) and sent, in order, once
   * it is back: true then too.
   */
  boolean send(ClientEvent event) {
    if (state instanceof Open open) {
      scope.emit(new Effect.ToRealtime(open.connection(), event));
      return true;
    }
    if (scope.call.isSip() && state != null && !(state instanceof Ended)) {
      if (heldEvents.size() >= MAX_HELD_EVENTS) {
        heldEvents.pollFirst();
      }
      heldEvents.addLast(event);
      return true;
    }
    return false;
  }

  /** Sends the client events held while a SIP call's sideband was away, in order. */
  int releaseHeldEvents() {
    int released = 0;
    while (!heldEvents.isEmpty() && state instanceof Open) {
      send(heldEvents.pollFirst());
      released++;
    }
    return released;
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

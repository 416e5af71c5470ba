package dev.voicebus.worker.session;

/**
 * The response state machine of one Realtime session, so the worker never sends {@code
 * response.create} while a response is active. A create asked for while one is active (or already
 * requested) is remembered and sent when the active response is done; the server's {@code
 * conversation_already_has_active_response} error (a VAD response raced our create) is handled the
 * same way. Not thread-safe: the owning {@link LiveCall} serialises access.
 */
final class ResponseGate {

  enum State {
    IDLE,
    REQUESTED,
    ACTIVE
  }

  private State state = State.IDLE;
  private boolean createPending;
  private String activeResponseId;

  State state() {
    return state;
  }

  String activeResponseId() {
    return activeResponseId;
  }

  /** Asks for a response; true if the caller must send {@code response.create} now. */
  boolean requestCreate() {
    if (state == State.IDLE) {
      state = State.REQUESTED;
      return true;
    }
    createPending = true;
    return false;
  }

  /** The server started a response (ours or one VAD created). */
  void onCreated(String responseId) {
    state = State.ACTIVE;
    activeResponseId = responseId;
  }

  /** The active response finished; true if a remembered create must be sent now. */
  boolean onDone() {
    activeResponseId = null;
    if (createPending) {
      createPending = false;
      state = State.REQUESTED;
      return true;
    }
    state = State.IDLE;
    return false;
  }

  /** Our create was refused because a response is already active: retry after it is done. */
  void onAlreadyActive() {
    state = State.ACTIVE;
    createPending = true;
  }

  /** The session was replaced (reconnect): nothing is active on the new one. */
  void reset() {
    state = State.IDLE;
    createPending = false;
    activeResponseId = null;
  }
}

package dev.voicebus.realtime.client;

import java.util.Locale;
import java.util.Optional;

/**
 * A request to OpenAI's calls API ({@code /realtime/calls/{call_id}/accept|reject|refer|hangup})
 * failed: the server answered with an HTTP error, or no answer came (network, TLS, timeout). {@link
 * #kind()} says what to do about it; the HTTP status and OpenAI's error object ({@code
 * {"error":{"message","type","code"}}}) are kept. Messages never contain the API key.
 */
public final class RealtimeCallsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What went wrong, as far as the caller needs to tell. */
  public enum Kind {
    /** 404: the call id is unknown or the call has ended (OpenAI forgets ended calls). */
    CALL_NOT_FOUND,
    /** The call was accepted already (e.g. by the previous owner before a failover). */
    ALREADY_ACCEPTED,
    /** The call is in another state: reject after accept, refer or hangup before accept. */
    WRONG_STATE,
    /** 400/422 other than a state conflict: a bad session config, target URI or status code. */
    INVALID_REQUEST,
    /** 401/403: the key is wrong or lacks access to the project. */
    UNAUTHORIZED,
    /** 429: rate limited or out of quota. */
    RATE_LIMITED,
    /** 5xx: OpenAI's side failed; the request may be retried. */
    SERVER_ERROR,
    /** No HTTP answer: connect, TLS or timeout; the request may or may not have taken effect. */
    TRANSPORT,
    /** Any other status. */
    OTHER
  }

  private final Kind kind;
  private final String operation;
  private final String callId;
  private final int status;
  private final String errorType;
  private final String errorCode;
  private final String errorMessage;

  RealtimeCallsException(
      Kind kind,
      String operation,
      String callId,
      int status,
      String errorType,
      String errorCode,
      String errorMessage,
      Throwable cause) {
    super(describe(operation, callId, status, errorCode, errorMessage), cause);
    this.kind = kind;
    this.operation = operation;
    this.callId = callId;
    this.status = status;
    this.errorType = errorType;
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
  }

  /**
   * Classifies an HTTP error: 404 (or a code ending in {@code not_found}) is an unknown or ended
   * call; a code or message saying the call was already accepted is {@link Kind#ALREADY_ACCEPTED}
   * whatever the status (OpenAI has not documented which status it uses); any other 409, or a 400
   * whose code names the call's state, is {@link Kind#WRONG_STATE}.
   */
  static Kind classify(int status, String code, String message) {
    String text =
        ((code == null ? "" : code) + " " + (message == null ? "" : message))
            .toLowerCase(Locale.ROOT);
    if (status == 404 || (code != null && code.endsWith("not_found"))) {
      return Kind.CALL_NOT_FOUND;
    }
    if (status >= 400 && status < 500 && text.contains("already") && text.contains("accept")) {
      return Kind.ALREADY_ACCEPTED;
    }
    if (status == 409 || (status == 400 && code != null && code.startsWith("call_"))) {
      return Kind.WRONG_STATE;
    }
    if (status == 401 || status == 403) {
      return Kind.UNAUTHORIZED;
    }
    if (status == 429) {
      return Kind.RATE_LIMITED;
    }
    if (status >= 500) {
      return Kind.SERVER_ERROR;
    }
    if (status == 400 || status == 422) {
      return Kind.INVALID_REQUEST;
    }
    return Kind.OTHER;
  }

  private static String describe(
      String operation, String callId, int status, String code, String message) {
    StringBuilder text =
        new StringBuilder("OpenAI calls API: ")
            .append(operation)
            .append(" of call ")
            .append(callId);
    if (status == 0) {
      return text.append(" got no answer: ").append(message).toString();
    }
    text.append(" failed with HTTP ").append(status);
    if (code != null) {
      text.append(' ').append(code);
    }
    if (message != null && !message.isEmpty()) {
      text.append(": ").append(message);
    }
    return text.toString();
  }

  public Kind kind() {
    return kind;
  }

  /** {@code accept}, {@code reject}, {@code refer} or {@code hangup}. */
  public String operation() {
    return operation;
  }

  public String callId() {
    return callId;
  }

  /** The HTTP status, or 0 when no answer came ({@link Kind#TRANSPORT}). */
  public int status() {
    return status;
  }

  /** OpenAI's {@code error.type}, e.g. {@code invalid_request_error}. */
  public Optional<String> errorType() {
    return Optional.ofNullable(errorType);
  }

  /** OpenAI's {@code error.code}, e.g. {@code call_id_not_found}. */
  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  /** OpenAI's {@code error.message} (keys redacted), or the start of a non-JSON body. */
  public Optional<String> errorMessage() {
    return Optional.ofNullable(errorMessage);
  }

  /** True for failures a later retry of the same request may fix (429, 5xx, no answer). */
  public boolean isRetriable() {
    return kind == Kind.RATE_LIMITED || kind == Kind.SERVER_ERROR || kind == Kind.TRANSPORT;
  }
}

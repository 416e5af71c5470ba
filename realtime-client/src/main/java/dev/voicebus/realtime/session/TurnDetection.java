package dev.voicebus.realtime.session;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * {@code audio.input.turn_detection}: server VAD, semantic VAD, or {@link #MANUAL} (JSON {@code
 * null}: the client commits the buffer and sends {@code response.create} itself). Null record
 * fields are omitted so the server applies its defaults.
 */
@JsonSerialize(using = TurnDetectionJson.Writer.class)
@JsonDeserialize(using = TurnDetectionJson.Reader.class)
public sealed interface TurnDetection
    permits TurnDetection.ServerVad, TurnDetection.SemanticVad, TurnDetection.Manual {

  /** Turn detection off; written as JSON {@code null}. */
  Manual MANUAL = new Manual();

  /** Volume-based VAD ({@code server_vad}); idleTimeoutMs 5000-30000 or null. */
  record ServerVad(
      Double threshold,
      Integer prefixPaddingMs,
      Integer silenceDurationMs,
      Boolean createResponse,
      Boolean interruptResponse,
      Integer idleTimeoutMs)
      implements TurnDetection {

    /** Server VAD with all server defaults. */
    public static ServerVad defaults() {
      return new ServerVad(null, null, null, null, null, null);
    }
  }

  /** Model-based end-of-turn detection ({@code semantic_vad}); eagerness low|medium|high|auto. */
  record SemanticVad(String eagerness, Boolean createResponse, Boolean interruptResponse)
      implements TurnDetection {}

  /** No turn detection (JSON {@code null}). */
  record Manual() implements TurnDetection {}
}

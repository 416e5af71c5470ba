package dev.voicebus.recorder.call;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON file stored next to each recording ({@code <callId>.json}): who and what the call was,
 * when it started and ended and why, the paused spans (silent in the file) and the turns (who spoke
 * when, as heard). Times in the recording are milliseconds from its start; instants are ISO-8601.
 * Also what a restarted recorder reads to store a rendered recording left behind.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Sidecar(
    int version,
    String callId,
    String tenantId,
    String agentProfile,
    String source,
    String externalCallId,
    String codec,
    int sampleRate,
    Channels channels,
    String startedAt,
    String endedAt,
    long durationMs,
    String endReason,
    String endDetail,
    String transferTarget,
    String finalisedBy,
    long pausedMs,
    List<TimeSpan> paused,
    List<Turn> turns) {

  /** What each channel of the stereo WAV holds. */
  public record Channels(String left, String right) {
    public static final Channels CALLER_AGENT = new Channels("caller", "agent");
  }

  /** A span of the recording, ms from its start. */
  public record TimeSpan(long startMs, long endMs) {}

  /**
   * One turn: {@code caller} (found by audio level) or {@code agent} (one response item, as placed
   * where the caller heard it; {@code interrupted} when the caller cut it off).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Turn(
      String speaker, long startMs, long endMs, String itemId, Boolean interrupted) {}

  public static final int VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public void write(Path path) throws IOException {
    JSON.writeValue(path.toFile(), this);
  }

  public byte[] toJson() throws IOException {
    return JSON.writeValueAsBytes(this);
  }

  public static Sidecar read(Path path) throws IOException {
    return JSON.readValue(path.toFile(), Sidecar.class);
  }
}

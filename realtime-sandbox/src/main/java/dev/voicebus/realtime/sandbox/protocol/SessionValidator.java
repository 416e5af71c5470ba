package dev.voicebus.realtime.sandbox.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;

/**
 * Validates the {@code session} object of a {@code session.update} the way the GA API does, and
 * reports the first problem as an {@code invalid_request_error} with OpenAI's codes ({@code
 * missing_required_parameter}, {@code unknown_parameter}, {@code invalid_value}, {@code
 * invalid_type}) and a {@code param} path such as {@code session.audio.input.format.type}.
 */
public final class SessionValidator {
  private static final Set<String> TOP_LEVEL =
      Set.of(
          "type",
          "model",
          "instructions",
          "output_modalities",
          "max_output_tokens",
          "tools",
          "tool_choice",
          "truncation",
          "prompt",
          "tracing",
          "include",
          "audio",
          "parallel_tool_calls",
          "reasoning");
  private static final Set<String> AUDIO = Set.of("input", "output");
  private static final Set<String> AUDIO_INPUT =
      Set.of("format", "transcription", "noise_reduction", "turn_detection");
  private static final Set<String> AUDIO_OUTPUT = Set.of("format", "voice", "speed");
  private static final Set<String> FORMATS = Set.of("audio/pcm", "audio/pcmu", "audio/pcma");
  private static final Set<String> VOICES =
      Set.of(
          "alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar");
  private static final Set<String> TURN_DETECTION =
      Set.of(
          "type",
          "threshold",
          "prefix_padding_ms",
          "silence_duration_ms",
          "create_response",
          "interrupt_response",
          "idle_timeout_ms",
          "eagerness");

  private SessionValidator() {}

  /** Returns the first problem with {@code session}, or null when it is valid. */
  public static ProtocolError validate(JsonNode session) {
    if (session == null || session.isNull() || session.isMissingNode()) {
      return ProtocolError.missingParameter("session");
    }
    if (!session.isObject()) {
      return ProtocolError.invalidType("session", "an object");
    }
    ProtocolError e = unknownKeys(session, TOP_LEVEL, "session");
    if (e != null) {
      return e;
    }
    if (!session.hasNonNull("type")) {
      return ProtocolError.missingParameter("session.type");
    }
    if (!"realtime".equals(session.get("type").asText())) {
      return ProtocolError.invalidValue("session.type", session.get("type").asText(), "'realtime'");
    }
    e = firstOf(modalities(session.get("output_modalities")), maxTokens(session));
    if (e == null) {
      e = firstOf(instructions(session), tools(session.get("tools")));
    }
    return e != null ? e : audio(session.get("audio"));
  }

  private static ProtocolError firstOf(ProtocolError a, ProtocolError b) {
    return a != null ? a : b;
  }

  private static ProtocolError unknownKeys(JsonNode node, Set<String> allowed, String path) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        return ProtocolError.unknownParameter(path + "." + key);
      }
    }
    return null;
  }

  private static ProtocolError instructions(JsonNode session) {
    JsonNode i = session.get("instructions");
    return i == null || i.isNull() || i.isTextual()
        ? null
        : ProtocolError.invalidType("session.instructions", "a string");
  }

  private static ProtocolError modalities(JsonNode m) {
    if (m == null || m.isNull()) {
      return null;
    }
    if (!m.isArray() || m.size() != 1) {
      return ProtocolError.invalidValue(
          "session.output_modalities", m, "['audio'] or ['text'] (exactly one)");
    }
    String v = m.get(0).asText();
    return "audio".equals(v) || "text".equals(v)
        ? null
        : ProtocolError.invalidValue("session.output_modalities[0]", v, "'audio', 'text'");
  }

  private static ProtocolError maxTokens(JsonNode session) {
    JsonNode t = session.get("max_output_tokens");
    if (t == null || t.isNull() || (t.isTextual() && "inf".equals(t.asText()))) {
      return null;
    }
    if (t.isInt() && t.asInt() >= 1 && t.asInt() <= 4096) {
      return null;
    }
    return ProtocolError.invalidValue("session.max_output_tokens", t, "an integer 1-4096 or 'inf'");
  }

  private static ProtocolError tools(JsonNode tools) {
    if (tools == null || tools.isNull()) {
      return null;
    }
    if (!tools.isArray()) {
      return ProtocolError.invalidType("session.tools", "an array");
    }
    for (int i = 0; i < tools.size(); i++) {
      JsonNode t = tools.get(i);
      String type = t.path("type").asText("function");
      String path = "session.tools[" + i + "]";
      if (!"function".equals(type) && !"mcp".equals(type)) {
        return ProtocolError.invalidValue(path + ".type", type, "'function', 'mcp'");
      }
      if ("function".equals(type) && !t.path("name").isTextual()) {
        return ProtocolError.missingParameter(path + ".name");
      }
    }
    return null;
  }

  private static ProtocolError audio(JsonNode audio) {
    if (audio == null || audio.isNull()) {
      return null;
    }
    ProtocolError e = unknownKeys(audio, AUDIO, "session.audio");
    if (e == null && audio.hasNonNull("input")) {
      e = audioInput(audio.get("input"));
    }
    if (e == null && audio.hasNonNull("output")) {
      e = audioOutput(audio.get("output"));
    }
    return e;
  }

  private static ProtocolError audioInput(JsonNode in) {
    ProtocolError e = unknownKeys(in, AUDIO_INPUT, "session.audio.input");
    if (e == null) {
      e = format(in.get("format"), "session.audio.input.format");
    }
    if (e == null) {
      e = turnDetection(in.get("turn_detection"));
    }
    JsonNode nr = in.get("noise_reduction");
    if (e == null && nr != null && !nr.isNull()) {
      String t = nr.path("type").asText();
      if (!"near_field".equals(t) && !"far_field".equals(t)) {
        e =
            ProtocolError.invalidValue(
                "session.audio.input.noise_reduction.type", t, "'near_field', 'far_field'");
      }
    }
    return e;
  }

  private static ProtocolError audioOutput(JsonNode out) {
    ProtocolError e = unknownKeys(out, AUDIO_OUTPUT, "session.audio.output");
    if (e == null) {
      e = format(out.get("format"), "session.audio.output.format");
    }
    JsonNode voice = out.get("voice");
    if (e == null && voice != null && voice.isTextual() && !VOICES.contains(voice.asText())) {
      e =
          ProtocolError.invalidValue(
              "session.audio.output.voice", voice.asText(), String.join("', '", VOICES));
    }
    JsonNode speed = out.get("speed");
    if (e == null && speed != null && (speed.asDouble() < 0.25 || speed.asDouble() > 1.5)) {
      e = ProtocolError.invalidValue("session.audio.output.speed", speed, "0.25 to 1.5");
    }
    return e;
  }

  private static ProtocolError format(JsonNode format, String path) {
    if (format == null || format.isNull()) {
      return null;
    }
    if (!format.hasNonNull("type")) {
      return ProtocolError.missingParameter(path + ".type");
    }
    String type = format.get("type").asText();
    if (!FORMATS.contains(type)) {
      return ProtocolError.invalidValue(
          path + ".type", type, "'audio/pcm', 'audio/pcmu', 'audio/pcma'");
    }
    JsonNode rate = format.get("rate");
    if ("audio/pcm".equals(type) && rate != null && rate.asInt() != 24000) {
      return ProtocolError.invalidValue(path + ".rate", rate, "24000");
    }
    return null;
  }

  private static ProtocolError turnDetection(JsonNode td) {
    if (td == null || td.isNull()) {
      return null;
    }
    String path = "session.audio.input.turn_detection";
    ProtocolError e = unknownKeys(td, TURN_DETECTION, path);
    if (e != null) {
      return e;
    }
    String type = td.path("type").asText("server_vad");
    if (!"server_vad".equals(type) && !"semantic_vad".equals(type)) {
      return ProtocolError.invalidValue(path + ".type", type, "'server_vad', 'semantic_vad'");
    }
    JsonNode threshold = td.get("threshold");
    if (threshold != null
        && (!threshold.isNumber() || threshold.asDouble() < 0 || threshold.asDouble() > 1)) {
      return ProtocolError.invalidValue(path + ".threshold", threshold, "a number 0.0-1.0");
    }
    for (String ms : new String[] {"prefix_padding_ms", "silence_duration_ms"}) {
      JsonNode v = td.get(ms);
      if (v != null && (!v.isIntegralNumber() || v.asInt() < 0)) {
        return ProtocolError.invalidValue(path + "." + ms, v, "a non-negative integer");
      }
    }
    return null;
  }
}

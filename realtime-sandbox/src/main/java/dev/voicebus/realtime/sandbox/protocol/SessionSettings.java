package dev.voicebus.realtime.sandbox.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.realtime.sandbox.audio.AudioFormat;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A session's effective configuration: the JSON object OpenAI returns in {@code session.created}
 * and {@code session.updated}, with GA defaults, plus the typed values the sandbox acts on. {@link
 * #apply} merges a validated partial update. Confined to the session's event loop.
 */
public final class SessionSettings {
  /** OpenAI's default instructions are long; ours say what the sandbox is. */
  public static final String DEFAULT_INSTRUCTIONS =
      "You are a helpful, friendly voice assistant (Voicebus Realtime sandbox).";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final ObjectNode json;
  private AudioFormat inputFormat = AudioFormat.PCM16;
  private AudioFormat outputFormat = AudioFormat.PCM16;
  private TurnDetection turnDetection;
  private boolean transcription;
  private boolean audioOutput = true;
  private Set<String> functionTools = Set.of();

  public SessionSettings(String sessionId, String model, Instant expiresAt) {
    json = JSON.objectNode();
    json.put("type", "realtime");
    json.put("object", "realtime.session");
    json.put("id", sessionId);
    json.put("model", model);
    json.putArray("output_modalities").add("audio");
    json.put("instructions", DEFAULT_INSTRUCTIONS);
    json.putArray("tools");
    json.put("tool_choice", "auto");
    json.put("max_output_tokens", "inf");
    json.putNull("tracing");
    json.putNull("prompt");
    json.put("truncation", "auto");
    json.put("expires_at", expiresAt.getEpochSecond());
    ObjectNode audio = json.putObject("audio");
    ObjectNode input = audio.putObject("input");
    input.set("format", format(AudioFormat.PCM16));
    input.set("turn_detection", defaultTurnDetection("server_vad"));
    ObjectNode output = audio.putObject("output");
    output.set("format", format(AudioFormat.PCM16));
    output.put("voice", "marin");
    output.put("speed", 1.0);
    refresh();
  }

  /**
   * G.711 mu-law both ways, the audio of a SIP call's phone leg, before the accepted configuration
   * is applied on top.
   */
  public void useTelephonyAudio() {
    ObjectNode audio = (ObjectNode) json.get("audio");
    ((ObjectNode) audio.get("input")).set("format", format(AudioFormat.PCMU));
    ((ObjectNode) audio.get("output")).set("format", format(AudioFormat.PCMU));
    refresh();
  }

  /** The session object as sent on the wire (shared; serialize before the next update). */
  public ObjectNode json() {
    return json;
  }

  /** Merges a partial, already validated {@code session} object into the effective config. */
  public void apply(JsonNode patch) {
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if ("audio".equals(e.getKey())) {
        mergeAudio(e.getValue());
      } else if (e.getValue().isNull() && !"tracing".equals(e.getKey())) {
        json.remove(e.getKey());
      } else {
        json.set(e.getKey(), e.getValue());
      }
    }
    refresh();
  }

  private void mergeAudio(JsonNode audio) {
    if (audio == null || audio.isNull()) {
      return;
    }
    for (String dir : new String[] {"input", "output"}) {
      JsonNode part = audio.get(dir);
      if (part == null || part.isNull()) {
        continue;
      }
      ObjectNode target = (ObjectNode) json.get("audio").get(dir);
      for (Map.Entry<String, JsonNode> e : part.properties()) {
        setAudioField(target, e.getKey(), e.getValue());
      }
    }
  }

  private static void setAudioField(ObjectNode target, String key, JsonNode value) {
    if ("turn_detection".equals(key)) {
      if (value.isNull()) {
        target.putNull(key);
      } else {
        ObjectNode td = defaultTurnDetection(value.path("type").asText("server_vad"));
        td.setAll((ObjectNode) value);
        target.set(key, td);
      }
    } else if ("format".equals(key) && !value.isNull()) {
      target.set(key, format(AudioFormat.fromWireType(value.get("type").asText())));
    } else if (value.isNull()) {
      target.remove(key);
    } else {
      target.set(key, value);
    }
  }

  private void refresh() {
    JsonNode in = json.get("audio").get("input");
    JsonNode out = json.get("audio").get("output");
    inputFormat = AudioFormat.fromWireType(in.get("format").get("type").asText());
    outputFormat = AudioFormat.fromWireType(out.get("format").get("type").asText());
    transcription = in.hasNonNull("transcription");
    JsonNode td = in.get("turn_detection");
    turnDetection =
        td == null || td.isNull()
            ? null
            : new TurnDetection(
                td.path("type").asText(),
                td.path("threshold").asDouble(0.5),
                td.path("prefix_padding_ms").asInt(300),
                td.path("silence_duration_ms").asInt(500),
                td.path("create_response").asBoolean(true),
                td.path("interrupt_response").asBoolean(true));
    audioOutput = !"text".equals(json.path("output_modalities").path(0).asText("audio"));
    Set<String> names = new HashSet<>();
    for (JsonNode t : json.path("tools")) {
      if ("function".equals(t.path("type").asText("function")) && t.hasNonNull("name")) {
        names.add(t.get("name").asText());
      }
    }
    functionTools = Set.copyOf(names);
  }

  private static ObjectNode format(AudioFormat f) {
    ObjectNode n = JSON.objectNode().put("type", f.wireType());
    if (f == AudioFormat.PCM16) {
      n.put("rate", 24000);
    }
    return n;
  }

  private static ObjectNode defaultTurnDetection(String type) {
    ObjectNode td = JSON.objectNode().put("type", type);
    if ("server_vad".equals(type)) {
      td.put("threshold", 0.5);
      td.put("prefix_padding_ms", 300);
      td.put("silence_duration_ms", 500);
      td.putNull("idle_timeout_ms");
    } else {
      td.put("eagerness", "auto");
    }
    td.put("create_response", true);
    td.put("interrupt_response", true);
    return td;
  }

  public AudioFormat inputFormat() {
    return inputFormat;
  }

  public AudioFormat outputFormat() {
    return outputFormat;
  }

  /** Null when turn detection is off (manual commit and response.create). */
  public TurnDetection turnDetection() {
    return turnDetection;
  }

  public boolean transcription() {
    return transcription;
  }

  public boolean audioOutput() {
    return audioOutput;
  }

  public Set<String> functionTools() {
    return functionTools;
  }

  public String instructions() {
    return json.path("instructions").asText("");
  }

  public String voice() {
    JsonNode v = json.get("audio").get("output").get("voice");
    return v == null ? "alloy" : v.isTextual() ? v.asText() : v.path("id").asText();
  }
}

package dev.voicebus.worker.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.RealtimeJson;
import dev.voicebus.worker.config.AgentProfile;
import dev.voicebus.worker.config.AgentProfile.TurnDetectionSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every profile field as it reaches the wire in {@code session.update}. */
class SessionConfigsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TurnDetectionSpec SERVER_VAD =
      new TurnDetectionSpec("server_vad", 0.6, 250, 450, null, true, false, 8000);

  private static AgentProfile profile(
      TurnDetectionSpec turns,
      List<String> modalities,
      Integer maxOutputTokens,
      String reasoning,
      String noiseReduction) {
    var schema = JSON.createObjectNode().put("type", "object");
    return new AgentProfile(
        "p",
        "gpt-realtime",
        "Be brief.",
        "marin",
        List.of(new AgentProfile.ToolSpec("lookup_order", "Looks up an order.", schema)),
        "required",
        turns,
        "gpt-4o-mini-transcribe",
        noiseReduction,
        modalities,
        maxOutputTokens,
        reasoning,
        Duration.ofSeconds(8),
        null,
        null);
  }

  private static JsonNode session(AgentProfile profile, AudioCodec codec) throws Exception {
    String event =
        RealtimeJson.shared()
            .write(new ClientEvent.SessionUpdate(SessionConfigs.forCall(profile, codec)));
    return JSON.readTree(event).get("session");
  }

  @Test
  void serverVadWithEveryTuningIdleTimeoutAndNoServerInterruption() throws Exception {
    JsonNode session =
        session(profile(SERVER_VAD, List.of("audio"), null, null, "far_field"), AudioCodec.PCMU);

    assertThat(session.get("type").asText()).isEqualTo("realtime");
    assertThat(session.get("model").asText()).isEqualTo("gpt-realtime");
    assertThat(session.get("instructions").asText()).isEqualTo("Be brief.");
    JsonNode input = session.at("/audio/input");
    assertThat(input.at("/format/type").asText()).isEqualTo("audio/pcmu");
    assertThat(session.at("/audio/output/format/type").asText()).isEqualTo("audio/pcmu");
    assertThat(session.at("/audio/output/voice").asText()).isEqualTo("marin");
    JsonNode turns = input.get("turn_detection");
    assertThat(turns.get("type").asText()).isEqualTo("server_vad");
    assertThat(turns.get("threshold").asDouble()).isEqualTo(0.6);
    assertThat(turns.get("prefix_padding_ms").asInt()).isEqualTo(250);
    assertThat(turns.get("silence_duration_ms").asInt()).isEqualTo(450);
    assertThat(turns.get("create_response").asBoolean()).isTrue();
    assertThat(turns.get("interrupt_response").asBoolean()).isFalse();
    assertThat(turns.get("idle_timeout_ms").asInt()).isEqualTo(8000);
    assertThat(input.at("/transcription/model").asText()).isEqualTo("gpt-4o-mini-transcribe");
    assertThat(input.at("/noise_reduction/type").asText()).isEqualTo("far_field");
    assertThat(session.at("/tools/0/name").asText()).isEqualTo("lookup_order");
    assertThat(session.at("/tools/0/type").asText()).isEqualTo("function");
    assertThat(session.at("/tools/0/parameters/type").asText()).isEqualTo("object");
    assertThat(session.get("tool_choice").asText()).isEqualTo("required");
    assertThat(session.get("output_modalities"))
        .extracting(JsonNode::asText)
        .containsExactly("audio");
    assertThat(session.get("max_output_tokens").asText()).isEqualTo("inf");
  }

  @Test
  void semanticVadWithEagerness() throws Exception {
    var semantic = new TurnDetectionSpec("semantic_vad", null, null, null, "low", true, true, null);
    JsonNode turns =
        session(profile(semantic, null, null, null, null), AudioCodec.PCMU)
            .at("/audio/input/turn_detection");

    assertThat(turns.get("type").asText()).isEqualTo("semantic_vad");
    assertThat(turns.get("eagerness").asText()).isEqualTo("low");
    assertThat(turns.has("threshold")).isFalse();
  }

  @Test
  void manualTurnDetectionSendsNoDetector() throws Exception {
    var manual = new TurnDetectionSpec("none", null, null, null, null, null, null, null);
    JsonNode input =
        session(profile(manual, null, null, null, null), AudioCodec.PCMA).at("/audio/input");

    assertThat(input.get("turn_detection").isNull()).isTrue();
    assertThat(input.at("/format/type").asText()).isEqualTo("audio/pcma");
  }

  @Test
  void textOnlyOutputCappedTokensReasoningAndNearFieldNoise() throws Exception {
    JsonNode session =
        session(profile(SERVER_VAD, List.of("text"), 512, "low", "near_field"), AudioCodec.PCM16);

    assertThat(session.get("output_modalities"))
        .extracting(JsonNode::asText)
        .containsExactly("text");
    assertThat(session.get("max_output_tokens").asInt()).isEqualTo(512);
    assertThat(session.at("/reasoning/effort").asText()).isEqualTo("low");
    assertThat(session.at("/audio/input/noise_reduction/type").asText()).isEqualTo("near_field");
    assertThat(session.at("/audio/input/format/type").asText()).isEqualTo("audio/pcm");
    assertThat(session.at("/audio/input/format/rate").asInt()).isEqualTo(24000);
  }
}

package dev.voicebus.realtime.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.InvalidEventException;
import dev.voicebus.realtime.event.RealtimeJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionConfigTest {

  private final RealtimeJson json = new RealtimeJson();

  private SessionConfig parseSession(String sessionJson) {
    String event = "{\"type\":\"session.update\",\"session\":" + sessionJson + "}";
    return ((ClientEvent.SessionUpdate) json.parseClientEvent(event)).session();
  }

  private String writeSession(SessionConfig config) {
    String event = json.write(new ClientEvent.SessionUpdate(config));
    return event.substring(
        "{\"type\":\"session.update\",\"session\":".length(), event.length() - 1);
  }

  @Test
  void readsMaxOutputTokensAsIntegerOrInf() {
    assertThat(parseSession("{\"type\":\"realtime\",\"max_output_tokens\":4096}").maxOutputTokens())
        .isEqualTo(MaxOutputTokens.of(4096));
    assertThat(
            parseSession("{\"type\":\"realtime\",\"max_output_tokens\":\"inf\"}").maxOutputTokens())
        .isEqualTo(MaxOutputTokens.INF);
    assertThatThrownBy(() -> parseSession("{\"type\":\"realtime\",\"max_output_tokens\":\"lots\"}"))
        .isInstanceOf(InvalidEventException.class)
        .extracting(e -> ((InvalidEventException) e).param())
        .isEqualTo("session.max_output_tokens");
    assertThatThrownBy(() -> MaxOutputTokens.of(0)).hasMessageContaining("max_output_tokens");
  }

  @Test
  void readsEveryToolChoiceShape() {
    assertThat(parseSession("{\"type\":\"realtime\",\"tool_choice\":\"required\"}").toolChoice())
        .isEqualTo(ToolChoice.REQUIRED);
    assertThat(
            parseSession(
                    "{\"type\":\"realtime\",\"tool_choice\":{\"type\":\"function\",\"name\":\"f\"}}")
                .toolChoice())
        .isEqualTo(new ToolChoice.FunctionChoice("f"));
    assertThat(
            parseSession(
                    "{\"type\":\"realtime\",\"tool_choice\":{\"type\":\"mcp\","
                        + "\"server_label\":\"docs\",\"name\":\"search\"}}")
                .toolChoice())
        .isEqualTo(new ToolChoice.McpChoice("docs", "search"));
  }

  @Test
  void writesEveryTruncationShape() {
    assertThat(writeSession(SessionConfig.realtime().withTruncation(Truncation.AUTO).build()))
        .isEqualTo("{\"type\":\"realtime\",\"truncation\":\"auto\"}");
    assertThat(
            writeSession(
                SessionConfig.realtime()
                    .withTruncation(new Truncation.RetentionRatio(0.5, null))
                    .build()))
        .isEqualTo(
            "{\"type\":\"realtime\",\"truncation\":{\"type\":\"retention_ratio\","
                + "\"retention_ratio\":0.5}}");
  }

  @Test
  void readsLegacyAudioFormatNamesAndCustomVoices() {
    SessionConfig config =
        parseSession(
            "{\"type\":\"realtime\",\"audio\":{\"input\":{\"format\":\"g711_ulaw\"},"
                + "\"output\":{\"format\":\"pcm16\",\"voice\":{\"id\":\"voice_9\"}}}}");

    assertThat(config.audio().input().format()).isEqualTo(AudioFormat.PCMU);
    assertThat(config.audio().output().format()).isEqualTo(AudioFormat.PCM_24K);
    assertThat(config.audio().output().voice()).isEqualTo(Voice.customVoice("voice_9"));
    assertThat(writeSession(config)).contains("\"voice\":{\"id\":\"voice_9\"}");
  }

  @Test
  void distinguishesAbsentTurnDetectionFromManual() {
    SessionConfig absent = parseSession("{\"type\":\"realtime\",\"audio\":{\"input\":{}}}");
    SessionConfig manual =
        parseSession("{\"type\":\"realtime\",\"audio\":{\"input\":{\"turn_detection\":null}}}");

    assertThat(absent.audio().input().turnDetection()).isNull();
    assertThat(manual.audio().input().turnDetection()).isEqualTo(TurnDetection.MANUAL);
  }

  @Test
  void turnsTranscriptionAndNoiseReductionOffWithJsonNull() {
    SessionConfig off =
        SessionConfig.realtime()
            .withTranscription(InputTranscription.OFF)
            .withNoiseReduction(NoiseReduction.OFF)
            .build();

    String written = writeSession(off);
    SessionConfig read = parseSession(written);
    SessionConfig absent = parseSession("{\"type\":\"realtime\",\"audio\":{\"input\":{}}}");

    assertThat(written)
        .isEqualTo(
            "{\"type\":\"realtime\",\"audio\":{\"input\":"
                + "{\"transcription\":null,\"noise_reduction\":null}}}");
    assertThat(read.audio().input().transcription().isOff()).isTrue();
    assertThat(read.audio().input().noiseReduction().isOff()).isTrue();
    assertThat(absent.audio().input().transcription()).isNull();
    assertThat(absent.audio().input().noiseReduction()).isNull();
  }

  @Test
  void writesAndReadsTranscriptionHints() {
    SessionConfig config =
        SessionConfig.realtime()
            .withTranscription(
                new InputTranscription(
                    "gpt-4o-transcribe", "de", "Namen: Jörg", null, List.of("Voicebus"), null))
            .withNoiseReduction(NoiseReduction.FAR_FIELD)
            .build();

    String written = writeSession(config);

    assertThat(written)
        .contains(
            "\"transcription\":{\"model\":\"gpt-4o-transcribe\",\"language\":\"de\","
                + "\"prompt\":\"Namen: Jörg\",\"keywords\":[\"Voicebus\"]}")
        .contains("\"noise_reduction\":{\"type\":\"far_field\"}");
    assertThat(parseSession(written)).isEqualTo(config);
  }

  @Test
  void rejectsAnUnknownTurnDetectionType() {
    assertThatThrownBy(
            () ->
                parseSession(
                    "{\"type\":\"realtime\",\"audio\":{\"input\":"
                        + "{\"turn_detection\":{\"type\":\"push_to_talk\"}}}}"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("server_vad");
  }

  @Test
  void mergesAPartialUpdateLikeTheServer() {
    SessionConfig current =
        SessionConfig.realtime()
            .withServerFields("sess_1", "realtime.session", 1_700_000_000L)
            .withModel("gpt-realtime")
            .withInstructions("old")
            .withAudioFormat(AudioFormat.PCM_24K)
            .withVoice("marin")
            .withTurnDetection(TurnDetection.ServerVad.defaults())
            .build();
    SessionConfig update =
        SessionConfig.realtime()
            .withInstructions("new")
            .withTurnDetection(TurnDetection.MANUAL)
            .withTools(List.of())
            .build();

    SessionConfig merged = current.merge(update);

    assertThat(merged.id()).isEqualTo("sess_1");
    assertThat(merged.model()).isEqualTo("gpt-realtime");
    assertThat(merged.instructions()).isEqualTo("new");
    assertThat(merged.tools()).isEmpty();
    assertThat(merged.audio().input().format()).isEqualTo(AudioFormat.PCM_24K);
    assertThat(merged.audio().input().turnDetection()).isEqualTo(TurnDetection.MANUAL);
    assertThat(merged.audio().output().voice()).isEqualTo(Voice.MARIN);
  }

  @Test
  void builderSetsTheSameFormatBothWaysAndKeepsVoice() {
    SessionConfig config =
        SessionConfig.realtime().withVoice("cedar").withAudioFormat(AudioFormat.PCMA).build();

    assertThat(config.audio().input().format()).isEqualTo(AudioFormat.PCMA);
    assertThat(config.audio().output())
        .isEqualTo(new AudioOutput(AudioFormat.PCMA, Voice.CEDAR, null));
    assertThat(config.toBuilder().withInstructions("x").build().audio()).isEqualTo(config.audio());
    assertThat(AudioFormat.PCMU.bytesPerMillisecond()).isEqualTo(8);
    assertThat(AudioFormat.PCM_24K.bytesPerMillisecond()).isEqualTo(48);
  }
}

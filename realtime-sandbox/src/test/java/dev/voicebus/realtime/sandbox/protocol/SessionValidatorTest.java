package dev.voicebus.realtime.sandbox.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** session.update validation in OpenAI's error shapes. */
class SessionValidatorTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static ProtocolError validate(String json) throws Exception {
    return SessionValidator.validate(MAPPER.readTree(json));
  }

  @Test
  void requiresSessionType() throws Exception {
    ProtocolError e = validate("{\"instructions\":\"hi\"}");
    assertThat(e.type()).isEqualTo("invalid_request_error");
    assertThat(e.code()).isEqualTo("missing_required_parameter");
    assertThat(e.param()).isEqualTo("session.type");
  }

  @Test
  void rejectsUnknownAudioFormatWithItsParamPath() throws Exception {
    ProtocolError e =
        validate(
            "{\"type\":\"realtime\",\"audio\":{\"input\":{\"format\":{\"type\":\"audio/mp3\"}}}}");
    assertThat(e.code()).isEqualTo("invalid_value");
    assertThat(e.param()).isEqualTo("session.audio.input.format.type");
  }

  @Test
  void rejectsBetaShapeTopLevelParameters() throws Exception {
    ProtocolError e = validate("{\"type\":\"realtime\",\"voice\":\"alloy\"}");
    assertThat(e.code()).isEqualTo("unknown_parameter");
    assertThat(e.param()).isEqualTo("session.voice");
  }

  @Test
  void acceptsATypicalTelephonySession() throws Exception {
    assertThat(
            validate(
                "{\"type\":\"realtime\",\"instructions\":\"x\",\"tools\":[{\"type\":\"function\","
                    + "\"name\":\"lookup_order\",\"parameters\":{}}],\"audio\":{\"input\":{\"format\":"
                    + "{\"type\":\"audio/pcmu\"},\"turn_detection\":{\"type\":\"server_vad\","
                    + "\"threshold\":0.6},\"transcription\":{\"model\":\"whisper-1\"}},\"output\":"
                    + "{\"format\":{\"type\":\"audio/pcmu\"},\"voice\":\"marin\"}}}"))
        .isNull();
  }
}

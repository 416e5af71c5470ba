package dev.voicebus.realtime.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The schema check itself must catch malformed events, or the conformance tests prove nothing. */
class SchemaCheckTest {
  @Test
  void acceptsAWellFormedEvent() {
    SchemaCheck check = new SchemaCheck();
    check.onServerEvent(
        "sess_1",
        "{\"type\":\"input_audio_buffer.speech_started\",\"event_id\":\"event_1\","
            + "\"audio_start_ms\":120,\"item_id\":\"item_1\"}");
    assertThat(check.assertAllValid()).containsEntry("input_audio_buffer.speech_started", 1);
  }

  @Test
  void flagsAMissingRequiredField() {
    SchemaCheck check = new SchemaCheck();
    check.onServerEvent(
        "sess_1",
        "{\"type\":\"input_audio_buffer.speech_started\",\"event_id\":\"event_1\","
            + "\"item_id\":\"item_1\"}");
    assertThatThrownBy(check::assertAllValid).hasMessageContaining("audio_start_ms");
  }

  @Test
  void flagsAWrongEnumValueAndUnknownTypes() {
    SchemaCheck check = new SchemaCheck();
    check.onServerEvent(
        "sess_1",
        "{\"type\":\"response.done\",\"event_id\":\"event_1\",\"response\":{\"id\":\"resp_1\","
            + "\"object\":\"realtime.response\",\"status\":\"finished\"}}");
    check.onServerEvent("sess_1", "{\"type\":\"response.exploded\",\"event_id\":\"event_2\"}");
    assertThatThrownBy(check::assertAllValid)
        .hasMessageContaining("finished")
        .hasMessageContaining("response.exploded");
  }
}

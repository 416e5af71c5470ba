package dev.voicebus.realtime.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.realtime.event.ServerEvent.ErrorEvent;
import dev.voicebus.realtime.event.ServerEvent.InputAudioTranscriptionCompleted;
import dev.voicebus.realtime.event.ServerEvent.ResponseDone;
import dev.voicebus.realtime.event.ServerEvent.ResponseFunctionCallArgumentsDone;
import dev.voicebus.realtime.event.ServerEvent.SessionCreated;
import dev.voicebus.realtime.event.ServerEvent.Unknown;
import dev.voicebus.realtime.session.AudioFormat;
import dev.voicebus.realtime.session.SessionType;
import dev.voicebus.realtime.session.Tool;
import dev.voicebus.realtime.session.ToolChoice;
import dev.voicebus.realtime.session.TurnDetection;
import dev.voicebus.realtime.session.Voice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ServerEventJsonTest {

  private static final OpenAiSchemas SCHEMAS = new OpenAiSchemas();
  private final RealtimeJson json = new RealtimeJson();
  private final ObjectMapper mapper = json.objectMapper();

  @Test
  void modelsEveryServerEventTypeOfTheSchema() {
    Set<String> schemaTypes = new TreeSet<>();
    for (String name : SCHEMAS.unionMembers("RealtimeServerEvent")) {
      schemaTypes.add(SCHEMAS.eventType(name));
    }
    assertThat(schemaTypes).hasSize(46);
    assertThat(new TreeSet<>(EventTypes.serverTypes())).containsAll(schemaTypes);
  }

  @Test
  void parsesEverySchemaExampleIntoItsRecordAndWritesItBackValid() throws Exception {
    List<String> checked = new ArrayList<>();
    Map<String, Set<String>> invalid = new TreeMap<>();
    for (String name : SCHEMAS.unionMembers("RealtimeServerEvent")) {
      for (JsonNode example : SCHEMAS.examples(name)) {
        ObjectNode fixed = ((ObjectNode) example).put("type", SCHEMAS.eventType(name));
        ServerEvent event = json.parseServerEvent(fixed.toString());

        assertThat(event).as(name).isNotInstanceOf(Unknown.class);
        assertThat(event.type()).as(name).isEqualTo(SCHEMAS.eventType(name));
        String written = json.write(event);
        assertThat(json.parseServerEvent(written)).as(name).isEqualTo(event);
        // The server sends null for "off" (transcription, noise_reduction, status_details, ...)
        // but the extracted schema lost OpenAPI's nullability, so nulls are dropped here.
        Set<String> problems = SCHEMAS.validate(name, withoutNulls(mapper.readTree(written)), true);
        if (problems.isEmpty()) {
          checked.add(name);
        } else {
          invalid.put(name, problems);
        }
      }
    }
    // Two of OpenAI's own examples use the legacy content types "audio"/"text", which its schema
    // no longer allows; the model keeps them as they are (ContentPart is a flat record).
    assertThat(invalid.keySet())
        .as(invalid.toString())
        .containsExactly(
            "RealtimeServerEventConversationItemRetrieved",
            "RealtimeServerEventResponseOutputItemDone");
    assertThat(checked).hasSizeGreaterThan(40);
  }

  private static JsonNode withoutNulls(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).objectNode();
      node.fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().isNull()) {
                  copy.set(e.getKey(), withoutNulls(e.getValue()));
                }
              });
      return copy;
    }
    if (node.isArray()) {
      var copy = ((com.fasterxml.jackson.databind.node.ArrayNode) node).arrayNode();
      node.forEach(child -> copy.add(withoutNulls(child)));
      return copy;
    }
    return node;
  }

  @Test
  void writesOffSettingsOfSessionCreatedAsNullLikeTheServer() throws Exception {
    String example = SCHEMAS.examples("RealtimeServerEventSessionCreated").get(0).toString();

    JsonNode input =
        mapper
            .readTree(json.write(json.parseServerEvent(example)))
            .path("session")
            .path("audio")
            .path("input");

    assertThat(input.get("transcription").isNull()).isTrue();
    assertThat(input.get("noise_reduction").isNull()).isTrue();
  }

  @Test
  void readsSessionCreatedWithAudioAndTurnDetection() {
    String example = SCHEMAS.examples("RealtimeServerEventSessionCreated").get(0).toString();

    SessionCreated created = (SessionCreated) json.parseServerEvent(example);

    assertThat(created.eventId()).isEqualTo("event_C9G5RJeJ2gF77mV7f2B1j");
    assertThat(created.session().type()).isEqualTo(SessionType.REALTIME);
    assertThat(created.session().id()).isEqualTo("sess_C9G5QPteg4UIbotdKLoYQ");
    assertThat(created.session().expiresAt()).isEqualTo(1756324625L);
    assertThat(created.session().maxOutputTokens().isInfinite()).isTrue();
    assertThat(created.session().toolChoice()).isEqualTo(ToolChoice.AUTO);
    assertThat(created.session().audio().input().format()).isEqualTo(AudioFormat.PCM_24K);
    assertThat(created.session().audio().output().voice()).isEqualTo(Voice.MARIN);
    assertThat(created.session().audio().input().turnDetection())
        .isEqualTo(new TurnDetection.ServerVad(0.5, 300, 200, true, true, null));
  }

  @Test
  void readsFunctionToolsOfSessionUpdated() {
    String example = SCHEMAS.examples("RealtimeServerEventSessionUpdated").get(0).toString();

    ServerEvent.SessionUpdated updated =
        (ServerEvent.SessionUpdated) json.parseServerEvent(example);

    Tool.FunctionTool tool = (Tool.FunctionTool) updated.session().tools().get(0);
    assertThat(tool.name()).isEqualTo("display_color_palette");
    assertThat(tool.parameters().path("required").toString()).isEqualTo("[\"theme\",\"colors\"]");
  }

  @Test
  void readsUsageByModalityFromResponseDone() {
    String example = SCHEMAS.examples("RealtimeServerEventResponseDone").get(0).toString();

    ResponseDone done = (ResponseDone) json.parseServerEvent(example);

    RealtimeResponse response = done.response();
    assertThat(response.status()).isEqualTo("completed");
    assertThat(response.conversationId()).isEqualTo("conv_CCXHsurMKcaVxIZvaCI5m");
    assertThat(response.usage().totalTokens()).isEqualTo(253);
    assertThat(response.usage().inputTokenDetails().audioTokens()).isEqualTo(13);
    assertThat(response.usage().inputTokenDetails().cachedTokens()).isEqualTo(64);
    assertThat(response.usage().inputTokenDetails().cachedTokensDetails().textTokens())
        .isEqualTo(64);
    assertThat(response.usage().outputTokenDetails().audioTokens()).isEqualTo(91);
    ConversationItem.Message message = (ConversationItem.Message) response.output().get(0);
    assertThat(message.role()).isEqualTo(Role.ASSISTANT);
    assertThat(message.content().get(0).transcript()).startsWith("Loud and clear!");
  }

  @Test
  void readsCancelledResponseStatusDetails() {
    String done =
        "{\"type\":\"response.done\",\"event_id\":\"e1\",\"response\":{\"id\":\"resp_1\","
            + "\"status\":\"cancelled\",\"status_details\":{\"type\":\"cancelled\","
            + "\"reason\":\"turn_detected\"},\"output\":[]}}";

    RealtimeResponse response = ((ResponseDone) json.parseServerEvent(done)).response();

    assertThat(response.statusDetails().reason()).isEqualTo("turn_detected");
    assertThat(response.usage()).isNull();
  }

  @Test
  void readsErrorWithCodeParamAndCausingEventId() {
    String example = SCHEMAS.examples("RealtimeServerEventError").get(0).toString();

    ErrorEvent error = (ErrorEvent) json.parseServerEvent(example);

    assertThat(error.error())
        .isEqualTo(
            new RealtimeError(
                "invalid_request_error",
                "invalid_event",
                "The 'type' field is missing.",
                null,
                "event_567"));
  }

  @Test
  void readsFunctionCallArgumentsDone() {
    String example =
        SCHEMAS.examples("RealtimeServerEventResponseFunctionCallArgumentsDone").get(0).toString();

    var done = (ResponseFunctionCallArgumentsDone) json.parseServerEvent(example);

    assertThat(done.callId()).isEqualTo("call_001");
    assertThat(done.name()).isEqualTo("get_weather");
    assertThat(done.arguments()).isEqualTo("{\"location\": \"San Francisco\"}");
  }

  @Test
  void readsTranscriptionUsageByTokensAndByDuration() {
    String byTokens =
        SCHEMAS
            .examples("RealtimeServerEventConversationItemInputAudioTranscriptionCompleted")
            .get(0)
            .toString();
    String byDuration =
        "{\"type\":\"conversation.item.input_audio_transcription.completed\",\"event_id\":\"e\","
            + "\"item_id\":\"i\",\"content_index\":0,\"transcript\":\"hi\","
            + "\"languages\":[{\"code\":\"en\"}],"
            + "\"usage\":{\"type\":\"duration\",\"seconds\":1.5}}";

    var tokens = (InputAudioTranscriptionCompleted) json.parseServerEvent(byTokens);
    var duration = (InputAudioTranscriptionCompleted) json.parseServerEvent(byDuration);

    assertThat(tokens.transcript()).isEqualTo("Hey, can you hear me?");
    assertThat(tokens.languages()).isNull();
    assertThat(tokens.usage().inputTokenDetails().audioTokens()).isEqualTo(13);
    assertThat(duration.usage().seconds()).isEqualTo(1.5);
    assertThat(duration.languages()).containsExactly(new TranscriptionLanguage("en"));
  }

  @Test
  void keepsUnknownItemTypesAsRawJson() {
    String added =
        "{\"type\":\"conversation.item.added\",\"event_id\":\"e\",\"item\":{\"type\":\"mcp_call\","
            + "\"id\":\"mcp_1\",\"server_label\":\"docs\",\"name\":\"search\",\"arguments\":\"{}\","
            + "\"output\":null}}";

    var event = (ServerEvent.ConversationItemAdded) json.parseServerEvent(added);

    assertThat(event.item()).isInstanceOf(ConversationItem.RawItem.class);
    assertThat(event.item().id()).isEqualTo("mcp_1");
    assertThat(json.write(event)).contains("\"output\":null").contains("\"server_label\":\"docs\"");
  }

  @Test
  void keepsUnknownEventTypesWithTheirRawJson() throws Exception {
    String future =
        "{\"type\":\"response.hologram.delta\",\"event_id\":\"event_9\",\"nested\":{\"a\":[1,2]}}";

    ServerEvent event = json.parseServerEvent(future);

    assertThat(event).isInstanceOf(Unknown.class);
    assertThat(event.type()).isEqualTo("response.hologram.delta");
    assertThat(event.eventId()).isEqualTo("event_9");
    assertThat(((Unknown) event).raw()).isEqualTo(mapper.readTree(future));
    assertThat(mapper.readTree(json.write(event))).isEqualTo(mapper.readTree(future));
  }

  @Test
  void ignoresNewFieldsOnKnownEvents() {
    String withExtra =
        "{\"type\":\"response.output_audio.delta\",\"event_id\":\"e\",\"response_id\":\"r\","
            + "\"item_id\":\"i\",\"output_index\":0,\"content_index\":0,\"delta\":\"AAEC\","
            + "\"obfuscation\":\"xyz\"}";

    var delta = (ServerEvent.ResponseOutputAudioDelta) json.parseServerEvent(withExtra);

    assertThat(delta.deltaBytes()).containsExactly(0, 1, 2);
  }

  @Test
  void rejectsTextThatIsNotAnEvent() {
    assertThatThrownBy(() -> json.parseServerEvent("not json"))
        .isInstanceOf(InvalidEventException.class)
        .extracting(e -> ((InvalidEventException) e).code())
        .isEqualTo("invalid_json");
    assertThatThrownBy(() -> json.parseServerEvent("{\"event_id\":\"e\"}"))
        .isInstanceOf(InvalidEventException.class)
        .extracting(e -> ((InvalidEventException) e).code())
        .isEqualTo("invalid_event");
  }

  @Test
  void rejectsKnownEventWithMalformedFieldInsteadOfHidingIt() {
    String bad =
        "{\"type\":\"input_audio_buffer.speech_started\",\"event_id\":\"e\","
            + "\"audio_start_ms\":{\"oops\":1},\"item_id\":\"i\"}";

    assertThatThrownBy(() -> json.parseServerEvent(bad))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("audio_start_ms");
  }
}

package dev.voicebus.realtime.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.realtime.event.ClientEvent.ConversationItemCreate;
import dev.voicebus.realtime.event.ClientEvent.ConversationItemDelete;
import dev.voicebus.realtime.event.ClientEvent.ConversationItemRetrieve;
import dev.voicebus.realtime.event.ClientEvent.ConversationItemTruncate;
import dev.voicebus.realtime.event.ClientEvent.InputAudioBufferAppend;
import dev.voicebus.realtime.event.ClientEvent.InputAudioBufferClear;
import dev.voicebus.realtime.event.ClientEvent.InputAudioBufferCommit;
import dev.voicebus.realtime.event.ClientEvent.OutputAudioBufferClear;
import dev.voicebus.realtime.event.ClientEvent.ResponseCancel;
import dev.voicebus.realtime.event.ClientEvent.ResponseCreate;
import dev.voicebus.realtime.event.ClientEvent.SessionUpdate;
import dev.voicebus.realtime.session.AudioFormat;
import dev.voicebus.realtime.session.InputTranscription;
import dev.voicebus.realtime.session.MaxOutputTokens;
import dev.voicebus.realtime.session.NoiseReduction;
import dev.voicebus.realtime.session.Reasoning;
import dev.voicebus.realtime.session.SessionConfig;
import dev.voicebus.realtime.session.Tool;
import dev.voicebus.realtime.session.ToolChoice;
import dev.voicebus.realtime.session.Truncation;
import dev.voicebus.realtime.session.TurnDetection;
import dev.voicebus.realtime.session.Voice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ClientEventJsonTest {

  private static final OpenAiSchemas SCHEMAS = new OpenAiSchemas();
  private final RealtimeJson json = new RealtimeJson();
  private final ObjectMapper mapper = json.objectMapper();

  /** One realistic instance of every client event, keyed by its schema entry. */
  private Map<String, List<ClientEvent>> samples() throws Exception {
    JsonNode parameters =
        mapper.readTree(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                + "\"required\":[\"city\"]}");
    SessionConfig telephony =
        SessionConfig.realtime()
            .withModel("gpt-realtime")
            .withInstructions("You are a friendly receptionist.")
            .withOutputModalities("audio")
            .withAudioFormat(AudioFormat.PCMU)
            .withVoice("marin")
            .withSpeed(1.1)
            .withTurnDetection(new TurnDetection.ServerVad(0.6, 300, 500, true, true, 8000))
            .withTranscription(InputTranscription.of("gpt-4o-mini-transcribe", "en"))
            .withNoiseReduction(NoiseReduction.NEAR_FIELD)
            .withTools(
                List.of(
                    new Tool.FunctionTool("get_weather", "Weather of a city", parameters),
                    new Tool.RawTool(
                        mapper.readTree(
                            "{\"type\":\"mcp\",\"server_label\":\"docs\","
                                + "\"server_url\":\"https://example.com/mcp\","
                                + "\"require_approval\":\"never\"}"))))
            .withToolChoice(ToolChoice.AUTO)
            .withMaxOutputTokens(MaxOutputTokens.of(1024))
            .withTruncation(new Truncation.RetentionRatio(0.8, new Truncation.TokenLimits(2000)))
            .withReasoning(new Reasoning("low"))
            .withInclude(List.of("item.input_audio_transcription.logprobs"))
            .build();
    SessionConfig semantic =
        SessionConfig.realtime()
            .withAudioFormat(AudioFormat.PCM_24K)
            .withTurnDetection(new TurnDetection.SemanticVad("high", false, true))
            .withToolChoice(new ToolChoice.FunctionChoice("get_weather"))
            .withMaxOutputTokens(MaxOutputTokens.INF)
            .withTruncation(Truncation.DISABLED)
            .build();
    SessionConfig manual =
        SessionConfig.realtime()
            .withTurnDetection(TurnDetection.MANUAL)
            .withToolChoice(new ToolChoice.McpChoice("docs", null))
            .withAudioOutput(
                new dev.voicebus.realtime.session.AudioOutput(
                    AudioFormat.PCMA, Voice.customVoice("voice_123"), null))
            .build();
    SessionConfig transcription =
        SessionConfig.transcription()
            .withAudioFormat(AudioFormat.PCMU)
            .withTranscription(InputTranscription.of("gpt-4o-transcribe", null))
            .build();
    transcription =
        new SessionConfig(
            transcription.type(),
            null,
            null,
            null,
            null,
            null,
            null,
            new dev.voicebus.realtime.session.AudioConfig(transcription.audio().input(), null),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    ResponseCreateParams outOfBand =
        ResponseCreateParams.empty()
            .withInstructions("Summarize the call in one sentence.")
            .withConversation("none")
            .withOutputModalities(List.of("text"))
            .withMetadata(Map.of("purpose", "summary"))
            .withMaxOutputTokens(MaxOutputTokens.of(200))
            .withInput(
                List.of(
                    ConversationItem.assistantText("It is 3 degrees in Oslo."),
                    ConversationItem.userText("Summarize.")));

    Map<String, List<ClientEvent>> samples = new LinkedHashMap<>();
    samples.put(
        "RealtimeClientEventSessionUpdate",
        List.of(
            new SessionUpdate("evt_1", telephony),
            new SessionUpdate(semantic),
            new SessionUpdate(manual),
            new SessionUpdate(transcription)));
    samples.put(
        "RealtimeClientEventInputAudioBufferAppend",
        List.of(InputAudioBufferAppend.of(new byte[] {1, 2, 3, (byte) 0xff})));
    samples.put("RealtimeClientEventInputAudioBufferCommit", List.of(new InputAudioBufferCommit()));
    samples.put(
        "RealtimeClientEventInputAudioBufferClear", List.of(new InputAudioBufferClear("evt_2")));
    samples.put("RealtimeClientEventOutputAudioBufferClear", List.of(new OutputAudioBufferClear()));
    samples.put(
        "RealtimeClientEventConversationItemCreate",
        List.of(
            new ConversationItemCreate(ConversationItem.systemText("Be brief.")),
            new ConversationItemCreate(
                "evt_3",
                "item_0",
                new ConversationItem.Message(
                    null,
                    null,
                    null,
                    Role.USER,
                    List.of(
                        ContentPart.inputText("hello"),
                        ContentPart.inputAudio("AAAA", "hi"),
                        ContentPart.inputImage("https://example.com/a.png", "auto")))),
            new ConversationItemCreate(ConversationItem.assistantText("Hello! How can I help?")),
            new ConversationItemCreate(
                ConversationItem.functionCall("call_1", "get_weather", "{\"city\":\"Oslo\"}")),
            new ConversationItemCreate(
                ConversationItem.functionCallOutput("call_1", "{\"temp_c\":3}"))));
    samples.put(
        "RealtimeClientEventConversationItemRetrieve",
        List.of(new ConversationItemRetrieve(null, "item_1")));
    samples.put(
        "RealtimeClientEventConversationItemTruncate",
        List.of(new ConversationItemTruncate(null, "item_2", 0, 1500)));
    samples.put(
        "RealtimeClientEventConversationItemDelete",
        List.of(new ConversationItemDelete("evt_4", "item_3")));
    samples.put(
        "RealtimeClientEventResponseCreate",
        List.of(new ResponseCreate(), new ResponseCreate("evt_5", outOfBand)));
    samples.put(
        "RealtimeClientEventResponseCancel",
        List.of(new ResponseCancel(), new ResponseCancel(null, "resp_1")));
    return samples;
  }

  @Test
  void coversEveryClientEventTypeOfTheSchema() throws Exception {
    Set<String> schemaTypes = new TreeSet<>();
    for (String name : SCHEMAS.unionMembers("RealtimeClientEvent")) {
      schemaTypes.add(SCHEMAS.eventType(name));
    }
    assertThat(schemaTypes).hasSize(11).isEqualTo(new TreeSet<>(EventTypes.clientTypes()));
    assertThat(samples().keySet())
        .containsExactlyInAnyOrderElementsOf(SCHEMAS.unionMembers("RealtimeClientEvent"));
  }

  @Test
  void schemaRefsAllResolve() {
    assertThat(SCHEMAS.unresolvedRefs()).isEmpty();
  }

  @Test
  void everyWrittenClientEventIsValidAgainstItsSchemaWithNoExtraFields() throws Exception {
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, List<ClientEvent>> entry : samples().entrySet()) {
      for (ClientEvent event : entry.getValue()) {
        String written = json.write(event);
        JsonNode tree = mapper.readTree(written);
        Set<String> problems = SCHEMAS.validate(entry.getKey(), tree, true);
        if (!problems.isEmpty()) {
          failures.add(written + " -> " + problems);
        }
        assertThat(SCHEMAS.validate("RealtimeClientEvent", tree, false)).as(written).isEmpty();
        assertThat(tree.path("type").asText()).isEqualTo(event.type());
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void schemaValidationCatchesAWrongField() throws Exception {
    JsonNode camelCase =
        mapper.readTree(
            "{\"type\":\"conversation.item.truncate\",\"itemId\":\"i\",\"content_index\":0,"
                + "\"audio_end_ms\":1}");

    assertThat(SCHEMAS.validate("RealtimeClientEventConversationItemTruncate", camelCase, false))
        .anyMatch(m -> m.contains("item_id"));
  }

  @Test
  void everyClientEventRoundTripsThroughTheStrictParser() throws Exception {
    for (List<ClientEvent> events : samples().values()) {
      for (ClientEvent event : events) {
        assertThat(json.parseClientEvent(json.write(event))).isEqualTo(event);
      }
    }
  }

  @Test
  void parsesTheSchemaExamplesOfClientEvents() {
    for (String name : SCHEMAS.unionMembers("RealtimeClientEvent")) {
      for (JsonNode example : SCHEMAS.examples(name)) {
        ClientEvent event = json.parseClientEvent(example.toString());
        assertThat(event.type()).as(name).isEqualTo(SCHEMAS.eventType(name));
      }
    }
  }

  @Test
  void keepsItemReferencesOfTheOutOfBandExampleAsRawItems() {
    JsonNode example = SCHEMAS.examples("RealtimeClientEventResponseCreate").get(1);

    ResponseCreate create = (ResponseCreate) json.parseClientEvent(example.toString());

    ConversationItem reference = create.response().input().get(0);
    assertThat(reference).isInstanceOf(ConversationItem.RawItem.class);
    assertThat(reference.type()).isEqualTo("item_reference");
    assertThat(reference.id()).isEqualTo("item_12345");
    assertThat(create.response().tools()).isEmpty();
    assertThat(json.write(create)).contains("{\"type\":\"item_reference\",\"id\":\"item_12345\"}");
  }

  @Test
  void omitsNullFields() {
    String written = json.write(new ResponseCancel());

    assertThat(written).isEqualTo("{\"type\":\"response.cancel\"}");
  }

  @Test
  void writesManualTurnDetectionAsJsonNull() {
    SessionConfig manual = SessionConfig.realtime().withTurnDetection(TurnDetection.MANUAL).build();

    String written = json.write(new SessionUpdate(manual));
    SessionUpdate parsed = (SessionUpdate) json.parseClientEvent(written);

    assertThat(written)
        .isEqualTo(
            "{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\","
                + "\"audio\":{\"input\":{\"turn_detection\":null}}}}");
    assertThat(parsed.session().audio().input().turnDetection()).isEqualTo(TurnDetection.MANUAL);
  }

  @Test
  void writesTelephonySessionInTheGaShape() throws Exception {
    SessionConfig config =
        SessionConfig.realtime()
            .withAudioFormat(AudioFormat.PCMU)
            .withVoice("marin")
            .withMaxOutputTokens(MaxOutputTokens.INF)
            .build();

    JsonNode session = mapper.readTree(json.write(new SessionUpdate(config))).get("session");

    assertThat(session.toString())
        .isEqualTo(
            "{\"type\":\"realtime\",\"audio\":{\"input\":{\"format\":{\"type\":\"audio/pcmu\"}},"
                + "\"output\":{\"format\":{\"type\":\"audio/pcmu\"},\"voice\":\"marin\"}},"
                + "\"max_output_tokens\":\"inf\"}");
  }

  @Test
  void encodesAudioAsBase64() {
    String written = json.write(InputAudioBufferAppend.of(new byte[] {0, 1, 2}));

    assertThat(written).isEqualTo("{\"type\":\"input_audio_buffer.append\",\"audio\":\"AAEC\"}");
  }

  @Test
  void refusesToWriteAnEventWithoutItsRequiredFields() {
    assertThatThrownBy(() -> json.write(new ConversationItemTruncate(null, "item_1", 0, null)))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("audio_end_ms");
  }

  @Test
  void rejectsUnknownEventType() {
    InvalidEventException e =
        parseError("{\"type\":\"session.updat\",\"event_id\":\"evt_9\",\"session\":{}}");

    assertThat(e.code()).isEqualTo("invalid_value");
    assertThat(e.param()).isEqualTo("type");
    assertThat(e.eventId()).isEqualTo("evt_9");
    assertThat(e.getMessage()).contains("session.updat");
  }

  @Test
  void rejectsMissingType() {
    InvalidEventException e = parseError("{\"event_id\":\"evt_1\"}");

    assertThat(e.code()).isEqualTo("invalid_event");
    assertThat(e.eventId()).isEqualTo("evt_1");
  }

  @Test
  void rejectsInvalidJson() {
    assertThat(parseError("{\"type\":").code()).isEqualTo("invalid_json");
  }

  @Test
  void rejectsMissingSessionType() {
    InvalidEventException e =
        parseError("{\"type\":\"session.update\",\"session\":{\"instructions\":\"hi\"}}");

    assertThat(e.code()).isEqualTo("missing_required_parameter");
    assertThat(e.param()).isEqualTo("session.type");
    assertThat(e.toRealtimeError().type()).isEqualTo("invalid_request_error");
  }

  @Test
  void rejectsUnknownParameterNamingItsPath() {
    InvalidEventException e =
        parseError(
            "{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\","
                + "\"audio\":{\"input\":{\"formatt\":{\"type\":\"audio/pcmu\"}}}}}");

    assertThat(e.code()).isEqualTo("unknown_parameter");
    assertThat(e.param()).isEqualTo("session.audio.input.formatt");
  }

  @Test
  void rejectsUnknownParameterInsideContentParts() {
    InvalidEventException e =
        parseError(
            "{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\","
                + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"txt\":\"hi\"}]}}");

    assertThat(e.code()).isEqualTo("unknown_parameter");
    assertThat(e.param()).isEqualTo("item.content[0].txt");
  }

  @Test
  void rejectsWrongJsonTypeNamingThePath() {
    InvalidEventException e =
        parseError(
            "{\"type\":\"conversation.item.truncate\",\"item_id\":\"i\","
                + "\"content_index\":0,\"audio_end_ms\":\"late\"}");

    assertThat(e.code()).isEqualTo("invalid_type");
    assertThat(e.param()).isEqualTo("audio_end_ms");
  }

  @Test
  void rejectsMissingRequiredFields() {
    assertThat(parseError("{\"type\":\"input_audio_buffer.append\"}").param()).isEqualTo("audio");
    assertThat(parseError("{\"type\":\"conversation.item.delete\"}").param()).isEqualTo("item_id");
    assertThat(
            parseError(
                    "{\"type\":\"conversation.item.create\",\"item\":"
                        + "{\"type\":\"function_call_output\",\"output\":\"{}\"}}")
                .param())
        .isEqualTo("item.call_id");
  }

  @Test
  void rejectsInvalidSessionTypeValue() {
    InvalidEventException e =
        parseError("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime-v1\"}}");

    assertThat(e.param()).isEqualTo("session.type");
  }

  private InvalidEventException parseError(String text) {
    try {
      json.parseClientEvent(text);
    } catch (InvalidEventException e) {
      return e;
    }
    throw new AssertionError("expected InvalidEventException for " + text);
  }
}

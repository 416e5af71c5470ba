package dev.voicebus.telephony.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.telephony.twilio.TwilioMessage.Inbound;
import dev.voicebus.telephony.twilio.TwilioMessage.MediaFormat;
import dev.voicebus.telephony.twilio.TwilioMessage.Outbound;
import dev.voicebus.telephony.twilio.TwilioMessage.Unknown;
import dev.voicebus.telephony.twilio.TwilioMessageException.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Twilio Media Streams messages as Twilio documents them, both ways, and every kind of defect. */
class TwilioCodecTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final byte[] AUDIO = {(byte) 0xFF, 0x7F, 0x00, 0x10, (byte) 0x80};
  private static final String AUDIO_BASE64 = Base64.getEncoder().encodeToString(AUDIO);

  // ---- inbound (Twilio -> application), examples after twilio.com/docs/voice/media-streams ----

  @Test
  void decodesConnected() {
    assertThat(
            TwilioCodec.decodeInbound(
                "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}"))
        .isEqualTo(new Inbound.Connected("Call", "1.0.0"));
  }

  @Test
  void decodesStartWithTracksCustomParametersAndMediaFormat() {
    String json =
        """
        {"event":"start","sequenceNumber":"1","streamSid":"MZ18ad3ab5a668481ce02b83e7395059f0",
         "start":{"accountSid":"AC123","streamSid":"MZ18ad3ab5a668481ce02b83e7395059f0",
                  "callSid":"CA123","tracks":["inbound","outbound"],
                  "customParameters":{"agentProfile":"sales","tenantId":"acme"},
                  "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}}}
        """;
    assertThat(TwilioCodec.decodeInbound(json))
        .isEqualTo(
            new Inbound.Start(
                1,
                "MZ18ad3ab5a668481ce02b83e7395059f0",
                "AC123",
                "CA123",
                List.of("inbound", "outbound"),
                Map.of("agentProfile", "sales", "tenantId", "acme"),
                MediaFormat.MULAW_8K_MONO));
  }

  @Test
  void startTakesTheTopLevelStreamSidAndTwiliosFormatWhenTheyAreLeftOut() {
    var start =
        (Inbound.Start)
            TwilioCodec.decodeInbound(
                "{\"event\":\"start\",\"streamSid\":\"MZ9\",\"start\":{\"callSid\":\"CA9\"}}");
    assertThat(start.streamSid()).isEqualTo("MZ9");
    assertThat(start.mediaFormat()).isEqualTo(MediaFormat.MULAW_8K_MONO);
    assertThat(start.sequenceNumber()).isZero();
    assertThat(start.customParameters()).isEmpty();
  }

  @Test
  void decodesMediaWithItsNumericStringsAndAudio() {
    String json =
        "{\"event\":\"media\",\"sequenceNumber\":\"3\",\"streamSid\":\"MZ1\",\"media\":{"
            + "\"track\":\"inbound\",\"chunk\":\"2\",\"timestamp\":\"5\",\"payload\":\""
            + AUDIO_BASE64
            + "\"}}";
    assertThat(TwilioCodec.decodeInbound(json))
        .isEqualTo(new Inbound.Media(3, "MZ1", "inbound", 2, 5, AUDIO));
  }

  @Test
  void acceptsNumbersAsJsonNumbersAndFieldsInAnyOrder() {
    String json =
        "{\"media\":{\"payload\":\""
            + AUDIO_BASE64
            + "\",\"timestamp\":40,\"chunk\":3},\"streamSid\":\"MZ1\",\"sequenceNumber\":7,"
            + "\"event\":\"media\",\"extra\":{\"ignored\":[1,2]}}";
    assertThat(TwilioCodec.decodeInbound(json))
        .isEqualTo(new Inbound.Media(7, "MZ1", "inbound", 3, 40, AUDIO));
  }

  @Test
  void decodesMarkDtmfAndStop() {
    assertThat(
            TwilioCodec.decodeInbound(
                "{\"event\":\"mark\",\"sequenceNumber\":\"4\",\"streamSid\":\"MZ1\","
                    + "\"mark\":{\"name\":\"item_1:480\"}}"))
        .isEqualTo(new Inbound.Mark(4, "MZ1", "item_1:480"));
    assertThat(
            TwilioCodec.decodeInbound(
                "{\"event\":\"dtmf\",\"streamSid\":\"MZ1\",\"sequenceNumber\":\"5\","
                    + "\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"5\"}}"))
        .isEqualTo(new Inbound.Dtmf(5, "MZ1", "inbound_track", "5"));
    assertThat(
            TwilioCodec.decodeInbound(
                "{\"event\":\"stop\",\"sequenceNumber\":\"6\",\"streamSid\":\"MZ1\","
                    + "\"stop\":{\"accountSid\":\"AC1\",\"callSid\":\"CA1\"}}"))
        .isEqualTo(new Inbound.Stop(6, "MZ1", "AC1", "CA1"));
  }

  @Test
  void keepsAnUnknownEventWholeInsteadOfFailing() {
    String json = "{\"event\":\"teleport\",\"sequenceNumber\":\"1\",\"start\":\"tomorrow\"}";
    assertThat(TwilioCodec.decodeInbound(json)).isEqualTo(new Unknown("teleport", json));
    assertThat(TwilioCodec.decodeInbound("{\"x\":1}")).isEqualTo(new Unknown("", "{\"x\":1}"));
    assertThat(TwilioCodec.decodeOutbound("{\"event\":\"start\"}"))
        .isEqualTo(new Unknown("start", "{\"event\":\"start\"}"));
  }

  @Test
  void writesInboundMessagesAsTwilioDoes() throws Exception {
    var start =
        new Inbound.Start(
            1,
            "MZ1",
            "AC1",
            "CA1",
            List.of("inbound"),
            Map.of("agentProfile", "sales"),
            MediaFormat.MULAW_8K_MONO);
    assertThat(tree(start))
        .isEqualTo(
            MAPPER.readTree(
                "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ1\",\"start\":{"
                    + "\"accountSid\":\"AC1\",\"streamSid\":\"MZ1\",\"callSid\":\"CA1\","
                    + "\"tracks\":[\"inbound\"],\"customParameters\":{\"agentProfile\":\"sales\"},"
                    + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,"
                    + "\"channels\":1}}}"));
    assertThat(tree(new Inbound.Media(2, "MZ1", "inbound", 1, 20, AUDIO)))
        .isEqualTo(
            MAPPER.readTree(
                "{\"event\":\"media\",\"sequenceNumber\":\"2\",\"streamSid\":\"MZ1\",\"media\":{"
                    + "\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"20\",\"payload\":\""
                    + AUDIO_BASE64
                    + "\"}}"));
    assertThat(tree(new Inbound.Connected("Call", "1.0.0")))
        .isEqualTo(
            MAPPER.readTree(
                "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}"));
  }

  @Test
  void everyInboundMessageSurvivesARoundTrip() {
    List<Inbound> messages =
        List.of(
            new Inbound.Connected("Call", "1.0.0"),
            new Inbound.Start(
                1,
                "MZ1",
                "AC1",
                "CA1",
                List.of("inbound", "outbound"),
                Map.of("a", "1", "b", "two words"),
                new MediaFormat("audio/x-mulaw", 8000, 1)),
            new Inbound.Media(2, "MZ1", "outbound", 1, 0, AUDIO),
            new Inbound.Mark(3, "MZ1", "m-1"),
            new Inbound.Dtmf(4, "MZ1", "inbound_track", "#"),
            new Inbound.Stop(5, "MZ1", "AC1", "CA1"),
            new Unknown("teleport", "{\"event\":\"teleport\"}"));
    for (Inbound message : messages) {
      assertThat(TwilioCodec.decodeInbound(TwilioCodec.encodeToString(message))).isEqualTo(message);
    }
  }

  // ---- outbound (application -> Twilio) ----

  @Test
  void writesOutboundMediaMarkAndClearAsTwilioExpects() throws Exception {
    assertThat(tree(new Outbound.Media("MZ1", AUDIO)))
        .isEqualTo(
            MAPPER.readTree(
                "{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"payload\":\""
                    + AUDIO_BASE64
                    + "\"}}"));
    assertThat(tree(new Outbound.Mark("MZ1", "item_1:480")))
        .isEqualTo(
            MAPPER.readTree(
                "{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"item_1:480\"}}"));
    assertThat(tree(new Outbound.Clear("MZ1")))
        .isEqualTo(MAPPER.readTree("{\"event\":\"clear\",\"streamSid\":\"MZ1\"}"));
  }

  @Test
  void everyOutboundMessageSurvivesARoundTripWithAwkwardText() {
    List<Outbound> messages =
        List.of(
            new Outbound.Media("MZ\"quoted\"\\", AUDIO),
            new Outbound.Media("MZ1", new byte[0]),
            new Outbound.Mark("MZ1", "naïve \"mark\"\n"),
            new Outbound.Clear("MZ1"));
    for (Outbound message : messages) {
      byte[] json = TwilioCodec.encode(message);
      assertThat(TwilioCodec.decodeOutbound(json, 0, json.length)).isEqualTo(message);
    }
  }

  @Test
  void decodesFromASliceOfALargerBuffer() {
    byte[] message = TwilioCodec.encode(new Outbound.Clear("MZ1"));
    byte[] buffer = new byte[message.length + 10];
    System.arraycopy(message, 0, buffer, 5, message.length);
    assertThat(TwilioCodec.decodeOutbound(buffer, 5, message.length))
        .isEqualTo(new Outbound.Clear("MZ1"));
  }

  // ---- defects ----

  @Test
  void namesMalformedJson() {
    assertDefect("{\"event\":\"start\",", Problem.MALFORMED_JSON, "malformed JSON: ");
    assertDefect("[1,2]", Problem.MALFORMED_JSON, "message is not a JSON object");
    assertDefect("", Problem.MALFORMED_JSON, "message is not a JSON object");
  }

  @Test
  void namesAPayloadThatIsNotBase64() {
    assertDefect(
        "{\"event\":\"media\",\"media\":{\"payload\":\"!!!not base64!!!\"}}",
        Problem.BAD_BASE64,
        "media.payload is not valid base64");
    assertDefect(
        "{\"event\":\"media\",\"media\":{\"payload\":\"AAé=\"}}",
        Problem.BAD_BASE64,
        "media.payload is not valid base64");
  }

  @Test
  void namesANumberThatIsNotOneAndClipsLongValues() {
    assertDefect(
        "{\"event\":\"media\",\"media\":{\"chunk\":\"one\",\"payload\":\"\"}}",
        Problem.NOT_A_NUMBER,
        "media.chunk 'one' is not a number");
    assertDefect(
        "{\"event\":\"mark\",\"sequenceNumber\":\"" + "9".repeat(60) + "\"}",
        Problem.NOT_A_NUMBER,
        "sequenceNumber '" + "9".repeat(40) + "...' is not a number");
    assertDefect(
        "{\"event\":\"start\",\"start\":{\"mediaFormat\":{\"sampleRate\":true}}}",
        Problem.NOT_A_NUMBER,
        "start.mediaFormat.sampleRate 'true' is not a number");
  }

  @Test
  void namesTheMissingFieldOfEachEvent() {
    assertDefect(
        "{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ1\"}}",
        Problem.MISSING_FIELD,
        "start.callSid is required");
    assertDefect(
        "{\"event\":\"start\",\"start\":{\"callSid\":\"CA1\"}}",
        Problem.MISSING_FIELD,
        "start.streamSid is required");
    assertDefect(
        "{\"event\":\"mark\",\"mark\":{}}", Problem.MISSING_FIELD, "mark.name is required");
    assertDefect("{\"event\":\"dtmf\"}", Problem.MISSING_FIELD, "dtmf.digit is required");
    assertDefect("{\"event\":\"media\"}", Problem.MISSING_FIELD, "media.payload is required");
    assertThatThrownBy(() -> TwilioCodec.decodeOutbound("{\"event\":\"media\",\"media\":{}}"))
        .hasMessage("media.payload is required");
  }

  @Test
  void namesFieldsOfTheWrongType() {
    assertDefect(
        "{\"event\":\"start\",\"start\":{\"callSid\":\"CA1\",\"customParameters\":[]}}",
        Problem.WRONG_TYPE,
        "start.customParameters is not an object");
    assertDefect("{\"event\":\"media\",\"media\":7}", Problem.WRONG_TYPE, "media is not an object");
    assertDefect(
        "{\"event\":\"mark\",\"mark\":{\"name\":{\"a\":1}}}",
        Problem.WRONG_TYPE,
        "mark.name is not a string");
  }

  @Test
  void aDefectCarriesTheEventReadSoFar() {
    assertThatThrownBy(() -> TwilioCodec.decodeInbound("{\"event\":\"mark\",\"mark\":{}}"))
        .isInstanceOfSatisfying(
            TwilioMessageException.class, e -> assertThat(e.event()).isEqualTo("mark"));
  }

  // ---- the records ----

  @Test
  void mediaIsComparedByItsAudioAndNeverPrintsIt() {
    var media = new Inbound.Media(1, "MZ1", "inbound", 1, 0, AUDIO.clone());
    assertThat(media).isEqualTo(new Inbound.Media(1, "MZ1", "inbound", 1, 0, AUDIO.clone()));
    assertThat(media).hasSameHashCodeAs(new Inbound.Media(1, "MZ1", "inbound", 1, 0, AUDIO));
    assertThat(media).isNotEqualTo(new Inbound.Media(1, "MZ1", "inbound", 1, 0, new byte[5]));
    assertThat(media.toString()).contains("payload=5 bytes").doesNotContain("[B@");
    assertThat(new Outbound.Media("MZ1", AUDIO))
        .isEqualTo(new Outbound.Media("MZ1", AUDIO.clone()))
        .hasToString("Media[streamSid=MZ1, payload=5 bytes]");
  }

  private static JsonNode tree(TwilioMessage message) throws Exception {
    return MAPPER.readTree(TwilioCodec.encodeToString(message));
  }

  private static void assertDefect(String json, Problem problem, String message) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> TwilioCodec.decodeInbound(bytes, 0, bytes.length))
        .isInstanceOfSatisfying(
            TwilioMessageException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(problem);
              assertThat(e.getMessage()).startsWith(message);
            });
  }
}

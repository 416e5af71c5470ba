package dev.voicebus.ingest.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallSource;
import dev.voicebus.ingest.call.CallStartRequest;
import dev.voicebus.ingest.server.ProtocolException;
import dev.voicebus.ingest.server.WsClose;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Field extraction and validation of Twilio Media Streams messages. */
final class TwilioMessages {

  private static final Pattern DIGIT = Pattern.compile("[0-9*#A-Da-dw]");

  private TwilioMessages() {}

  /** The parts of a {@code start} message that Voicebus uses. */
  record Start(String streamSid, String callSid, String accountSid, Map<String, String> custom) {

    CallStartRequest toRequest() {
      Map<String, String> metadata = new HashMap<>(custom);
      metadata.put("twilio.streamSid", streamSid);
      metadata.put("twilio.accountSid", accountSid);
      return new CallStartRequest(
          CallSource.TWILIO,
          AudioCodec.PCMU,
          Optional.ofNullable(custom.get("agentProfile")),
          Optional.ofNullable(custom.get("tenantId")),
          Optional.of(callSid),
          metadata);
    }
  }

  static Start start(JsonNode msg) {
    JsonNode start = msg.path("start");
    String streamSid = text(start, "streamSid", msg.path("streamSid").asText(""));
    String callSid = text(start, "callSid", "");
    if (streamSid.isEmpty() || callSid.isEmpty()) {
      throw new ProtocolException(
          WsClose.PROTOCOL_ERROR, "bad-start", "start.streamSid and start.callSid are required");
    }
    JsonNode format = start.path("mediaFormat");
    String encoding = format.path("encoding").asText("audio/x-mulaw");
    long rate =
        format.has("sampleRate")
            ? number(format.get("sampleRate"), "start.mediaFormat.sampleRate")
            : 8000;
    long channels =
        format.has("channels") ? number(format.get("channels"), "start.mediaFormat.channels") : 1;
    if (!encoding.equals("audio/x-mulaw") || rate != 8000 || channels != 1) {
      throw new ProtocolException(
          WsClose.UNSUPPORTED_DATA,
          "wrong-codec",
          "unsupported mediaFormat "
              + clip(encoding)
              + "/"
              + rate
              + "/"
              + channels
              + ": need audio/x-mulaw/8000/1");
    }
    Map<String, String> custom = new HashMap<>();
    start
        .path("customParameters")
        .properties()
        .forEach(e -> custom.put(clip(e.getKey()), e.getValue().asText()));
    return new Start(streamSid, callSid, text(start, "accountSid", ""), custom);
  }

  static String digit(JsonNode msg) {
    String digit = msg.path("dtmf").path("digit").asText("");
    if (!DIGIT.matcher(digit).matches()) {
      throw new ProtocolException(
          WsClose.PROTOCOL_ERROR,
          "bad-dtmf",
          "dtmf.digit '" + clip(digit) + "' is not a keypad digit");
    }
    return digit;
  }

  static String markName(JsonNode msg) {
    String name = msg.path("mark").path("name").asText("");
    if (name.isEmpty()) {
      throw new ProtocolException(WsClose.PROTOCOL_ERROR, "bad-mark", "mark.name is required");
    }
    return name;
  }

  /** A numeric field that Twilio sends as a string (numbers are accepted too). */
  static long number(JsonNode field, String name) {
    if (field.isNumber()) {
      return field.asLong();
    }
    try {
      return Long.parseLong(field.asText());
    } catch (NumberFormatException e) {
      throw new ProtocolException(
          WsClose.PROTOCOL_ERROR,
          "bad-number",
          name + " '" + clip(field.asText()) + "' is not a number");
    }
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? fallback : value.asText();
  }

  static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}

package dev.voicebus.telephony.twilio;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import dev.voicebus.telephony.twilio.TwilioMessage.Inbound;
import dev.voicebus.telephony.twilio.TwilioMessage.MediaFormat;
import dev.voicebus.telephony.twilio.TwilioMessage.Outbound;
import dev.voicebus.telephony.twilio.TwilioMessage.Unknown;
import dev.voicebus.telephony.twilio.TwilioMessageException.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of one Twilio message, collected as the streaming parser meets them (in any order),
 * then built into the record for the message's event. Nested objects of other events are skipped
 * once the event is known. One instance per decode; not thread-safe.
 */
final class TwilioFields {

  private static final int CLIP = 40;

  private String event = "";
  private long sequenceNumber;
  private String streamSid = "";
  private String protocol = "";
  private String version = "";
  private String startStreamSid = "";
  private String accountSid = "";
  private String callSid = "";
  private List<String> tracks = List.of();
  private Map<String, String> customParameters = Map.of();
  private String encoding = MediaFormat.MULAW_8K_MONO.encoding();
  private int sampleRate = MediaFormat.MULAW_8K_MONO.sampleRate();
  private int channels = MediaFormat.MULAW_8K_MONO.channels();
  private String track = "";
  private long chunk;
  private long timestamp;
  private byte[] payload;
  private String name = "";
  private String digit = "";

  String event() {
    return event;
  }

  /** Reads the members of the top-level object; the parser is on its START_OBJECT. */
  void read(JsonParser p) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "event" -> event = string(p, "event");
        case "sequenceNumber" -> sequenceNumber = number(p, "sequenceNumber");
        case "streamSid" -> streamSid = string(p, "streamSid");
        case "protocol" -> protocol = string(p, "protocol");
        case "version" -> version = string(p, "version");
        case "start", "media", "mark", "dtmf", "stop" -> nested(p, field);
        default -> p.skipChildren();
      }
    }
  }

  private void nested(JsonParser p, String object) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    if (!event.isEmpty() && !event.equals(object)) {
      p.skipChildren(); // another event's object: not ours to judge
      return;
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error(Problem.WRONG_TYPE, object + " is not an object");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (object) {
        case "start" -> startField(p, field);
        case "media" -> mediaField(p, field);
        case "mark" -> markField(p, field);
        case "dtmf" -> dtmfField(p, field);
        default -> stopField(p, field);
      }
    }
  }

  private void startField(JsonParser p, String field) throws IOException {
    switch (field) {
      case "streamSid" -> startStreamSid = string(p, "start.streamSid");
      case "accountSid" -> accountSid = string(p, "start.accountSid");
      case "callSid" -> callSid = string(p, "start.callSid");
      case "tracks" -> tracks = strings(p, "start.tracks");
      case "customParameters" -> customParameters = parameters(p);
      case "mediaFormat" -> mediaFormat(p);
      default -> p.skipChildren();
    }
  }

  private void mediaField(JsonParser p, String field) throws IOException {
    switch (field) {
      case "track" -> track = string(p, "media.track");
      case "chunk" -> chunk = number(p, "media.chunk");
      case "timestamp" -> timestamp = number(p, "media.timestamp");
      case "payload" -> payload = base64(p, "media.payload");
      default -> p.skipChildren();
    }
  }

  private void markField(JsonParser p, String field) throws IOException {
    if (field.equals("name")) {
      name = string(p, "mark.name");
    } else {
      p.skipChildren();
    }
  }

  private void dtmfField(JsonParser p, String field) throws IOException {
    switch (field) {
      case "track" -> track = string(p, "dtmf.track");
      case "digit" -> digit = string(p, "dtmf.digit");
      default -> p.skipChildren();
    }
  }

  private void stopField(JsonParser p, String field) throws IOException {
    switch (field) {
      case "accountSid" -> accountSid = string(p, "stop.accountSid");
      case "callSid" -> callSid = string(p, "stop.callSid");
      default -> p.skipChildren();
    }
  }

  private void mediaFormat(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error(Problem.WRONG_TYPE, "start.mediaFormat is not an object");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "encoding" -> encoding = string(p, "start.mediaFormat.encoding");
        case "sampleRate" -> sampleRate = smallNumber(p, "start.mediaFormat.sampleRate");
        case "channels" -> channels = smallNumber(p, "start.mediaFormat.channels");
        default -> p.skipChildren();
      }
    }
  }

  private Map<String, String> parameters(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return Map.of();
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error(Problem.WRONG_TYPE, "start.customParameters is not an object");
    }
    Map<String, String> parameters = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      parameters.put(key, string(p, "start.customParameters." + clip(key)));
    }
    return parameters;
  }

  private List<String> strings(JsonParser p, String path) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return List.of();
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw error(Problem.WRONG_TYPE, path + " is not an array");
    }
    List<String> values = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      values.add(string(p, path + "[]"));
    }
    return values;
  }

  /** A scalar as text; Twilio's fields are strings, but a number or boolean is taken as written. */
  private String string(JsonParser p, String path) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return "";
    }
    if (!token.isScalarValue()) {
      throw error(Problem.WRONG_TYPE, path + " is not a string");
    }
    return p.getText();
  }

  /** A number sent as a string of digits (as Twilio does) or as a JSON integer. */
  private long number(JsonParser p, String path) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return 0;
    }
    if (token == JsonToken.VALUE_NUMBER_INT) {
      try {
        return p.getLongValue();
      } catch (InputCoercionException e) {
        throw notANumber(path, p.getText());
      }
    }
    if (token != JsonToken.VALUE_STRING) {
      throw notANumber(path, token.isScalarValue() ? p.getText() : token.asString());
    }
    // Short strings of digits are read from the parser's buffer: no String per field on the media
    // path. Anything else goes through Long.parseLong, which decides.
    char[] chars = p.getTextCharacters();
    int offset = p.getTextOffset();
    int length = p.getTextLength();
    if (length > 0 && length <= 18) {
      long value = 0;
      int i = 0;
      while (i < length && chars[offset + i] >= '0' && chars[offset + i] <= '9') {
        value = value * 10 + (chars[offset + i] - '0');
        i++;
      }
      if (i == length) {
        return value;
      }
    }
    try {
      return Long.parseLong(p.getText());
    } catch (NumberFormatException e) {
      throw notANumber(path, p.getText());
    }
  }

  private int smallNumber(JsonParser p, String path) throws IOException {
    long value = number(p, path);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw error(Problem.NOT_A_NUMBER, path + " " + value + " is out of range");
    }
    return (int) value;
  }

  private byte[] base64(JsonParser p, String path) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_STRING) {
      throw error(Problem.WRONG_TYPE, path + " is not a string");
    }
    char[] chars = p.getTextCharacters();
    int offset = p.getTextOffset();
    int length = p.getTextLength();
    byte[] ascii = new byte[length];
    for (int i = 0; i < length; i++) {
      char c = chars[offset + i];
      if (c > 0x7F) {
        throw error(Problem.BAD_BASE64, path + " is not valid base64");
      }
      ascii[i] = (byte) c;
    }
    try {
      return Base64.getDecoder().decode(ascii);
    } catch (IllegalArgumentException e) {
      throw error(Problem.BAD_BASE64, path + " is not valid base64");
    }
  }

  Inbound toInbound(byte[] json, int offset, int length) {
    return switch (event) {
      case "connected" -> new Inbound.Connected(protocol, version);
      case "start" -> {
        String sid = startStreamSid.isEmpty() ? streamSid : startStreamSid;
        require(sid, "start.streamSid");
        require(callSid, "start.callSid");
        var format = new MediaFormat(encoding, sampleRate, channels);
        yield new Inbound.Start(
            sequenceNumber, sid, accountSid, callSid, tracks, customParameters, format);
      }
      case "media" ->
          new Inbound.Media(
              sequenceNumber,
              streamSid,
              track.isEmpty() ? "inbound" : track,
              chunk,
              timestamp,
              requirePayload());
      case "mark" -> new Inbound.Mark(sequenceNumber, streamSid, require(name, "mark.name"));
      case "dtmf" ->
          new Inbound.Dtmf(sequenceNumber, streamSid, track, require(digit, "dtmf.digit"));
      case "stop" -> new Inbound.Stop(sequenceNumber, streamSid, accountSid, callSid);
      default -> unknown(json, offset, length);
    };
  }

  Outbound toOutbound(byte[] json, int offset, int length) {
    return switch (event) {
      case "media" -> new Outbound.Media(streamSid, requirePayload());
      case "mark" -> new Outbound.Mark(streamSid, require(name, "mark.name"));
      case "clear" -> new Outbound.Clear(streamSid);
      default -> unknown(json, offset, length);
    };
  }

  private Unknown unknown(byte[] json, int offset, int length) {
    return new Unknown(event, new String(json, offset, length, StandardCharsets.UTF_8));
  }

  private byte[] requirePayload() {
    if (payload == null) {
      throw error(Problem.MISSING_FIELD, "media.payload is required");
    }
    return payload;
  }

  private String require(String value, String path) {
    if (value.isEmpty()) {
      throw error(Problem.MISSING_FIELD, path + " is required");
    }
    return value;
  }

  private TwilioMessageException notANumber(String path, String value) {
    return error(Problem.NOT_A_NUMBER, path + " '" + clip(value) + "' is not a number");
  }

  private TwilioMessageException error(Problem problem, String message) {
    return new TwilioMessageException(problem, event, message);
  }

  static String clip(String text) {
    return text.length() <= CLIP ? text : text.substring(0, CLIP) + "...";
  }
}

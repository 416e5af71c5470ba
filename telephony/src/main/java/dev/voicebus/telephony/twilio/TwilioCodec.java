package dev.voicebus.telephony.twilio;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.voicebus.telephony.twilio.TwilioMessage.Inbound;
import dev.voicebus.telephony.twilio.TwilioMessage.Outbound;
import dev.voicebus.telephony.twilio.TwilioMessage.Unknown;
import dev.voicebus.telephony.twilio.TwilioMessageException.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON encoding and decoding of {@link TwilioMessage}s with Jackson's streaming parser and
 * generator: no tree, and base64 audio is written straight into the output, since {@code media}
 * arrives 50 times a second per call. Decoding accepts numeric fields as strings (as Twilio sends
 * them) or as numbers, ignores fields it does not know, and fails with a {@link
 * TwilioMessageException} naming the defect; encoding writes numbers as strings, as Twilio does.
 * Thread-safe.
 */
public final class TwilioCodec {

  private static final JsonFactory JSON = new JsonFactory();

  private TwilioCodec() {}

  /** Decodes a message Twilio sent. */
  public static Inbound decodeInbound(byte[] json, int offset, int length) {
    return parse(json, offset, length).toInbound(json, offset, length);
  }

  /** Decodes a message Twilio sent. */
  public static Inbound decodeInbound(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return decodeInbound(bytes, 0, bytes.length);
  }

  /** Decodes a message an application sent to Twilio (what a Twilio simulator reads). */
  public static Outbound decodeOutbound(byte[] json, int offset, int length) {
    return parse(json, offset, length).toOutbound(json, offset, length);
  }

  /** Decodes a message an application sent to Twilio (what a Twilio simulator reads). */
  public static Outbound decodeOutbound(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return decodeOutbound(bytes, 0, bytes.length);
  }

  /** The message as UTF-8 JSON. */
  public static byte[] encode(TwilioMessage message) {
    boolean media = message instanceof Inbound.Media || message instanceof Outbound.Media;
    var out = new ByteArrayOutputStream(media ? 320 : 128);
    encode(message, out);
    return out.toByteArray();
  }

  /** The message as JSON text. */
  public static String encodeToString(TwilioMessage message) {
    return new String(encode(message), StandardCharsets.UTF_8);
  }

  /**
   * Writes the message as UTF-8 JSON to {@code out} (which stays open).
   *
   * @throws UncheckedIOException if {@code out} fails
   */
  public static void encode(TwilioMessage message, OutputStream out) {
    try {
      if (message instanceof Unknown unknown) {
        out.write(unknown.json().getBytes(StandardCharsets.UTF_8));
        return;
      }
      try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeStringField("event", message.event());
        TwilioWriter.writeBody(message, g);
        g.writeEndObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write Twilio " + message.event() + " message", e);
    }
  }

  private static TwilioFields parse(byte[] json, int offset, int length) {
    var fields = new TwilioFields();
    try (JsonParser p = JSON.createParser(json, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new TwilioMessageException(
            Problem.MALFORMED_JSON, "", "message is not a JSON object");
      }
      fields.read(p);
    } catch (StreamReadException e) {
      throw new TwilioMessageException(
          Problem.MALFORMED_JSON,
          fields.event(),
          "malformed JSON: " + TwilioFields.clip(firstLine(e.getOriginalMessage())));
    } catch (IOException e) {
      // Parsing a byte array does no I/O; anything else is a defect of the message.
      throw new TwilioMessageException(
          Problem.MALFORMED_JSON, fields.event(), "malformed JSON: " + e.getMessage());
    }
    return fields;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}

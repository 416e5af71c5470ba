package dev.voicebus.ingest.twilio;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallSource;
import dev.voicebus.ingest.call.CallStartRequest;
import dev.voicebus.ingest.server.ProtocolException;
import dev.voicebus.ingest.server.WsClose;
import dev.voicebus.telephony.twilio.TwilioMessage.Inbound;
import dev.voicebus.telephony.twilio.TwilioMessage.MediaFormat;
import dev.voicebus.telephony.twilio.TwilioMessageException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What ingest accepts of a decoded Twilio message, and the close code and metric kind of each
 * defect: the stream must be 8 kHz mono mu-law, a digit must be a keypad digit.
 */
final class TwilioMessages {

  private static final Pattern DIGIT = Pattern.compile("[0-9*#A-Da-dw]");
  private static final Set<String> EVENTS =
      Set.of("connected", "start", "media", "mark", "dtmf", "stop");

  private TwilioMessages() {}

  /** The call to start for a {@code start} message; refuses any format but Twilio's mu-law. */
  static CallStartRequest request(Inbound.Start start) {
    MediaFormat format = start.mediaFormat();
    if (!format.equals(MediaFormat.MULAW_8K_MONO)) {
      throw new ProtocolException(
          WsClose.UNSUPPORTED_DATA,
          "wrong-codec",
          "unsupported mediaFormat "
              + clip(format.encoding())
              + "/"
              + format.sampleRate()
              + "/"
              + format.channels()
              + ": need audio/x-mulaw/8000/1");
    }
    Map<String, String> custom = new HashMap<>();
    start.customParameters().forEach((key, value) -> custom.put(clip(key), value));
    Map<String, String> metadata = new HashMap<>(custom);
    metadata.put("twilio.streamSid", start.streamSid());
    metadata.put("twilio.accountSid", start.accountSid());
    return new CallStartRequest(
        CallSource.TWILIO,
        AudioCodec.PCMU,
        Optional.ofNullable(custom.get("agentProfile")),
        Optional.ofNullable(custom.get("tenantId")),
        Optional.of(start.callSid()),
        metadata);
  }

  static String digit(Inbound.Dtmf dtmf) {
    String digit = dtmf.digit();
    if (!DIGIT.matcher(digit).matches()) {
      throw new ProtocolException(
          WsClose.PROTOCOL_ERROR,
          "bad-dtmf",
          "dtmf.digit '" + clip(digit) + "' is not a keypad digit");
    }
    return digit;
  }

  /** A message the codec could not decode, as a close with the codec's description. */
  static ProtocolException protocolError(TwilioMessageException e) {
    String kind =
        switch (e.problem()) {
          case MALFORMED_JSON -> "malformed-json";
          case NOT_A_NUMBER -> "bad-number";
          case BAD_BASE64 -> "bad-base64";
          // The event is the peer's text: only known ones become metric labels.
          case MISSING_FIELD, WRONG_TYPE ->
              EVENTS.contains(e.event()) ? "bad-" + e.event() : "bad-message";
        };
    return new ProtocolException(WsClose.PROTOCOL_ERROR, kind, e.getMessage());
  }

  static ProtocolException unknownEvent(String event) {
    return new ProtocolException(
        WsClose.PROTOCOL_ERROR, "unknown-event", "unknown event '" + clip(event) + "'");
  }

  static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}

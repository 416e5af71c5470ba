package dev.voicebus.telephony.twilio;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The few TwiML documents Voicebus sends Twilio, built as text with every value XML-escaped: a call
 * connected to a bidirectional Media Stream ({@code <Connect><Stream>}, for the voice webhook's
 * answer and outbound calls), a call moved to a transfer target ({@code <Dial>} a number or {@code
 * <Dial><Sip>} a SIP URI), and a spoken refusal that hangs up. Pure functions.
 */
public final class Twiml {

  /** The XML declaration a webhook answer starts with. */
  public static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final Pattern SIP_URI =
      Pattern.compile("sips?:[A-Za-z0-9._~%!$&'()*+,;=:-]+@[A-Za-z0-9.-]+(:[0-9]{1,5})?([;?].*)?");

  private Twiml() {}

  /**
   * {@code <Response><Connect><Stream url="..."><Parameter name=".." value=".."/>..</Stream>
   * </Connect></Response>}: the call's audio goes to {@code streamUrl} (a {@code wss://} URL; the
   * parameters come back in the stream's {@code start.customParameters}), in the map's order.
   */
  public static String connectStream(String streamUrl, Map<String, String> parameters) {
    var xml = new StringBuilder("<Response><Connect><Stream url=\"");
    xml.append(escape(streamUrl)).append("\">");
    parameters.forEach(
        (name, value) ->
            xml.append("<Parameter name=\"")
                .append(escape(name))
                .append("\" value=\"")
                .append(escape(value))
                .append("\"/>"));
    return xml.append("</Stream></Connect></Response>").toString();
  }

  /**
   * {@code <Response><Dial>+15551234567</Dial></Response>}, or {@code <Dial><Sip>sip:..</Sip>
   * </Dial>} for a SIP URI: the caller is connected to {@code target}.
   *
   * @throws IllegalArgumentException when {@code target} is neither an E.164 number nor a
   *     sip:/sips: URI (the message names it)
   */
  public static String dial(String target) {
    if (target != null && E164.matcher(target).matches()) {
      return "<Response><Dial>" + escape(target) + "</Dial></Response>";
    }
    if (target != null && SIP_URI.matcher(target).matches()) {
      return "<Response><Dial><Sip>" + escape(target) + "</Sip></Dial></Response>";
    }
    throw new IllegalArgumentException(
        "transfer target '"
            + clip(target)
            + "' is neither an E.164 number (+15551234567) nor a sip:/sips: URI");
  }

  /** Whether {@link #dial} accepts {@code target}. */
  public static boolean isDialTarget(String target) {
    return target != null && (E164.matcher(target).matches() || SIP_URI.matcher(target).matches());
  }

  /** Whether {@code number} is an E.164 phone number such as {@code +15551234567}. */
  public static boolean isE164(String number) {
    return number != null && E164.matcher(number).matches();
  }

  /** {@code <Response><Say>sentence</Say><Hangup/></Response>}. */
  public static String sayAndHangup(String sentence) {
    return "<Response><Say>" + escape(sentence) + "</Say><Hangup/></Response>";
  }

  /**
   * {@code text} safe inside XML text and attribute values: the five markup characters become
   * entities, and control characters XML 1.0 does not allow are dropped.
   */
  public static String escape(String text) {
    var out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static String clip(String text) {
    if (text == null) {
      return "null";
    }
    return text.length() <= 60 ? text : text.substring(0, 60) + "...";
  }
}

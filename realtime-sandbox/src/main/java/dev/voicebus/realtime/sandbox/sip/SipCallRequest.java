package dev.voicebus.realtime.sandbox.sip;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A simulated inbound call to place (the body of {@code POST /sandbox/sip/calls}).
 *
 * @param from the caller: an E.164 number or a SIP user
 * @param to the called number or SIP user (what ingest routes on)
 * @param scenario the script the caller follows, or null for the one the accepted instructions name
 *     ({@code [scenario:NAME]}) or the sandbox default
 * @param duplicate whether OpenAI's occasional duplicate delivery is played after the first
 *     successful one
 * @param extraHeaders more SIP headers passed in the webhook, after From, To and Call-ID
 */
public record SipCallRequest(
    String from,
    String to,
    String scenario,
    Duplicate duplicate,
    Map<String, String> extraHeaders) {

  /** An extra delivery of the same event after the first 2xx. */
  public enum Duplicate {
    NONE,
    /** The same {@code webhook-id} (what OpenAI's guide warns about). */
    SAME_WEBHOOK_ID,
    /** A new {@code webhook-id} for the same call (as a second node might see). */
    NEW_WEBHOOK_ID
  }

  private static final Pattern PARTY = Pattern.compile("\\+?[A-Za-z0-9._-]{1,64}");

  public SipCallRequest {
    for (String[] p : new String[][] {{"from", from}, {"to", to}}) {
      if (p[1] == null || !PARTY.matcher(p[1]).matches()) {
        throw new IllegalArgumentException(
            "'"
                + p[0]
                + "' must be an E.164 number such as +15550100000 or a SIP user (letters, digits,"
                + " . _ -), got "
                + (p[1] == null ? "nothing" : "'" + p[1] + "'"));
      }
    }
    duplicate = Objects.requireNonNullElse(duplicate, Duplicate.NONE);
    extraHeaders = Map.copyOf(Objects.requireNonNullElse(extraHeaders, Map.of()));
  }

  /** A plain call from {@code from} to {@code to} with the default script. */
  public static SipCallRequest of(String from, String to) {
    return new SipCallRequest(from, to, null, Duplicate.NONE, Map.of());
  }

  public SipCallRequest withScenario(String name) {
    return new SipCallRequest(from, to, name, duplicate, extraHeaders);
  }

  public SipCallRequest withDuplicate(Duplicate value) {
    return new SipCallRequest(from, to, scenario, value, extraHeaders);
  }
}

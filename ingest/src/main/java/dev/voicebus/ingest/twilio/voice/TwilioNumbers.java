package dev.voicebus.ingest.twilio.voice;

import dev.voicebus.telephony.twilio.Twiml;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which agent profile and tenant answer each called number, from {@code ingest.twilio.numbers} (or
 * the file {@code ingest.twilio.numbers.file}): entries separated by commas or new lines, each
 * {@code +15551230000=acme/support} (tenant {@code acme}, profile {@code support}) or {@code
 * +15551230000=support} (the default tenant); blank lines and lines starting with {@code #} are
 * skipped. The voice webhook routes a call by its {@code To} number; an empty table means the
 * webhook is off.
 */
public final class TwilioNumbers {

  /** No numbers: the voice webhook is off. */
  public static final TwilioNumbers NONE = new TwilioNumbers(Map.of());

  private static final String KEY = "ingest.twilio.numbers";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Where calls to one number go. */
  public record Route(String number, String tenant, String profile) {}

  private final Map<String, Route> routes;

  private TwilioNumbers(Map<String, Route> routes) {
    this.routes = Map.copyOf(routes);
  }

  /**
   * Parses the setting's value; fails naming the key and the bad entry, and what a valid entry
   * looks like.
   */
  public static TwilioNumbers parse(String value, String defaultTenant) {
    Map<String, Route> routes = new LinkedHashMap<>();
    for (String line : value.split("\\R")) {
      if (line.strip().startsWith("#")) {
        continue;
      }
      for (String entry : line.split(",")) {
        if (!entry.isBlank()) {
          Route route = route(entry.strip(), defaultTenant);
          if (routes.put(route.number(), route) != null) {
            throw invalid(entry.strip(), "the number " + route.number() + " is listed twice");
          }
        }
      }
    }
    if (routes.isEmpty()) {
      throw invalid(value.strip(), "it lists no number");
    }
    return new TwilioNumbers(routes);
  }

  private static Route route(String entry, String defaultTenant) {
    int equals = entry.indexOf('=');
    if (equals < 0) {
      throw invalid(entry, "an entry is NUMBER=TENANT/PROFILE or NUMBER=PROFILE");
    }
    String number = entry.substring(0, equals).strip();
    String target = entry.substring(equals + 1).strip();
    if (!Twiml.isE164(number)) {
      throw invalid(entry, "'" + number + "' is not an E.164 number such as +15551230000");
    }
    int slash = target.indexOf('/');
    String tenant = slash < 0 ? defaultTenant : target.substring(0, slash).strip();
    String profile = slash < 0 ? target : target.substring(slash + 1).strip();
    if (!ID.matcher(tenant).matches() || !ID.matcher(profile).matches()) {
      throw invalid(
          entry, "tenant and profile must be 1-64 of A-Z a-z 0-9 . _ - (NUMBER=TENANT/PROFILE)");
    }
    return new Route(number, tenant, profile);
  }

  private static IllegalArgumentException invalid(String entry, String why) {
    return new IllegalArgumentException(
        KEY
            + " is invalid at '"
            + entry
            + "': "
            + why
            + " (entries NUMBER=TENANT/PROFILE or NUMBER=PROFILE, separated by commas or new"
            + " lines)");
  }

  /** The route of the called number {@code to}, if it has one. */
  public Optional<Route> route(String to) {
    return Optional.ofNullable(to).map(routes::get);
  }

  public boolean isEmpty() {
    return routes.isEmpty();
  }

  public Iterable<Route> routes() {
    return routes.values();
  }

  @Override
  public String toString() {
    return "TwilioNumbers" + routes.values();
  }
}

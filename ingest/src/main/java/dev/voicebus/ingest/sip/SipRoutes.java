package dev.voicebus.ingest.sip;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which tenant and agent profile answer a SIP call, from {@code ingest.sip.routes} (or the file
 * {@code ingest.sip.routes.file}): entries separated by commas or new lines, each {@code
 * TO=TENANT/PROFILE} or {@code TO=PROFILE} (the default tenant), optionally {@code TO from
 * PREFIX=...} to route only callers whose number starts with {@code PREFIX}. {@code TO} is the user
 * part of the SIP {@code To} header (the called number on a trunk, e.g. {@code +15551230000}) or
 * {@code *} for any. The most specific entry wins: an exact {@code TO} before {@code *}, then the
 * longest {@code from} prefix. {@code #} starts a comment line.
 */
public final class SipRoutes {

  /** No routes. */
  public static final SipRoutes NONE = new SipRoutes(List.of());

  private static final String KEY = "ingest.sip.routes";
  private static final String ANY = "*";
  private static final Pattern PARTY = Pattern.compile("\\+?[A-Za-z0-9._-]{1,64}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /**
   * Where calls to {@code to} (or any number, {@code *}) from callers starting with {@code
   * fromPrefix} (empty: any) go.
   */
  public record Route(String to, String fromPrefix, String tenant, String profile) {}

  private final List<Route> routes;

  private SipRoutes(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  /** Parses the setting; fails naming the key, the bad entry and what a valid one looks like. */
  public static SipRoutes parse(String value, String defaultTenant) {
    List<Route> routes = new ArrayList<>();
    for (String line : value.split("\\R")) {
      if (line.strip().startsWith("#")) {
        continue;
      }
      for (String entry : line.split(",")) {
        if (!entry.isBlank()) {
          Route route = parseEntry(entry.strip(), defaultTenant);
          for (Route other : routes) {
            if (other.to().equals(route.to()) && other.fromPrefix().equals(route.fromPrefix())) {
              throw invalid(entry.strip(), "the same number and caller prefix are listed twice");
            }
          }
          routes.add(route);
        }
      }
    }
    if (routes.isEmpty()) {
      throw invalid(value.strip(), "it lists no route");
    }
    return new SipRoutes(routes);
  }

  private static Route parseEntry(String entry, String defaultTenant) {
    int equals = entry.indexOf('=');
    if (equals < 0) {
      throw invalid(entry, "an entry is TO=TENANT/PROFILE or TO=PROFILE");
    }
    String[] left = entry.substring(0, equals).strip().split("\\s+");
    String target = entry.substring(equals + 1).strip();
    String to = left[0];
    String from = "";
    if (left.length == 3 && left[1].equals("from")) {
      from = left[2];
      if (!PARTY.matcher(from).matches()) {
        throw invalid(entry, "the caller prefix '" + from + "' is not a number or SIP user prefix");
      }
    } else if (left.length != 1) {
      throw invalid(entry, "the left side is TO or 'TO from PREFIX'");
    }
    if (!to.equals(ANY) && !PARTY.matcher(to).matches()) {
      throw invalid(
          entry, "'" + to + "' is not a number such as +15551230000, a SIP user, or * (any)");
    }
    int slash = target.indexOf('/');
    String tenant = slash < 0 ? defaultTenant : target.substring(0, slash).strip();
    String profile = slash < 0 ? target : target.substring(slash + 1).strip();
    if (!ID.matcher(tenant).matches() || !ID.matcher(profile).matches()) {
      throw invalid(
          entry, "tenant and profile must be 1-64 of A-Z a-z 0-9 . _ - (TO=TENANT/PROFILE)");
    }
    return new Route(to, from, tenant, profile);
  }

  private static IllegalArgumentException invalid(String entry, String why) {
    return new IllegalArgumentException(
        KEY
            + " is invalid at '"
            + entry
            + "': "
            + why
            + " (entries TO=TENANT/PROFILE, TO=PROFILE or 'TO from PREFIX=TENANT/PROFILE', TO a"
            + " number, SIP user or *, separated by commas or new lines)");
  }

  /** The route of a call to {@code to} from {@code from} (either may be empty), if any. */
  public Optional<Route> route(String to, String from) {
    String caller = from == null ? "" : from;
    return routes.stream()
        .filter(r -> r.to().equals(ANY) || r.to().equals(to))
        .filter(r -> caller.startsWith(r.fromPrefix()))
        .max(
            Comparator.comparing((Route r) -> !r.to().equals(ANY))
                .thenComparingInt(r -> r.fromPrefix().length()));
  }

  public boolean isEmpty() {
    return routes.isEmpty();
  }

  public List<Route> routes() {
    return routes;
  }

  @Override
  public String toString() {
    return "SipRoutes" + routes;
  }
}

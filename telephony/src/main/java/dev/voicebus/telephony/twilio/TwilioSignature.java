package dev.voicebus.telephony.twilio;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature: {@code X-Twilio-Signature = Base64(HMAC-SHA1(authToken, url +
 * concatenated sorted POST params))}. A webhook (a form POST such as the voice webhook) signs its
 * URL followed by every parameter name and value, sorted by name (and, for a repeated name, by
 * value); the Media Streams WebSocket upgrade (a GET) has no POST params, and its URL includes the
 * query string. Twilio may sign the URL with or without an explicit default port ({@code :443},
 * {@code :80}), so {@link #verifyAnyPort} accepts both forms, as Twilio's helper libraries do.
 * Ingest verifies; the call simulator and the fake Twilio sign.
 */
public final class TwilioSignature {

  public static final String HEADER = "X-Twilio-Signature";

  private TwilioSignature() {}

  /** The signature Twilio would send for {@code url} and single-valued form {@code params}. */
  public static String sign(String authToken, String url, Map<String, String> params) {
    Map<String, List<String>> multi = new TreeMap<>();
    params.forEach((k, v) -> multi.put(k, List.of(v)));
    return signForm(authToken, url, multi);
  }

  /**
   * The signature Twilio would send for {@code url} and form {@code params}, where a parameter may
   * repeat: names sorted, and a repeated name's values sorted.
   */
  public static String signForm(String authToken, String url, Map<String, List<String>> params) {
    var data = new StringBuilder(url);
    new TreeMap<>(params)
        .forEach((k, values) -> values.stream().sorted().forEach(v -> data.append(k).append(v)));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is not available in this JVM", e);
    }
  }

  /** Whether {@code presented} is the valid signature, compared in constant time. */
  public static boolean verify(
      String authToken, String url, Map<String, String> params, String presented) {
    Map<String, List<String>> multi = new TreeMap<>();
    params.forEach((k, v) -> multi.put(k, List.of(v)));
    return matches(signForm(authToken, url, multi), presented);
  }

  /**
   * Whether {@code presented} signs {@code url} (in any of its {@link #portForms}) and {@code
   * params}; every form is computed and compared in constant time.
   */
  public static boolean verifyAnyPort(
      String authToken, String url, Map<String, List<String>> params, String presented) {
    boolean valid = false;
    for (String form : portForms(url)) {
      valid |= matches(signForm(authToken, form, params), presented);
    }
    return valid;
  }

  /**
   * {@code url} as given, without its port if that is the scheme's default, and with the default
   * port if it has none ({@code https}/{@code wss}: 443, {@code http}/{@code ws}: 80). A URL that
   * cannot be parsed has only its own form.
   */
  public static List<String> portForms(String url) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(url);
    try {
      URI uri = new URI(url);
      int defaultPort = defaultPort(uri.getScheme());
      if (defaultPort > 0 && uri.getHost() != null) {
        if (uri.getPort() == -1) {
          forms.add(withPort(uri, defaultPort));
        } else if (uri.getPort() == defaultPort) {
          forms.add(withPort(uri, -1));
        }
      }
    } catch (URISyntaxException e) {
      // Only the URL as given.
    }
    return new ArrayList<>(forms);
  }

  private static String withPort(URI uri, int port) {
    return uri.getScheme()
        + "://"
        + (uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@")
        + uri.getHost()
        + (port == -1 ? "" : ":" + port)
        + (uri.getRawPath() == null ? "" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
        + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
  }

  private static int defaultPort(String scheme) {
    if (scheme == null) {
      return -1;
    }
    return switch (scheme) {
      case "https", "wss" -> 443;
      case "http", "ws" -> 80;
      default -> -1;
    };
  }

  private static boolean matches(String expected, String presented) {
    if (presented == null || presented.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        presented.getBytes(StandardCharsets.US_ASCII));
  }
}

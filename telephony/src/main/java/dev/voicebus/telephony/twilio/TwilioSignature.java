package dev.voicebus.telephony.twilio;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature: {@code X-Twilio-Signature = Base64(HMAC-SHA1(authToken, url +
 * concatenated sorted POST params))}. For the Media Streams WebSocket upgrade (a GET) there are no
 * POST params and the URL includes the query string. Ingest verifies it; the call simulator signs
 * with it.
 */
public final class TwilioSignature {

  public static final String HEADER = "X-Twilio-Signature";

  private TwilioSignature() {}

  /** The signature Twilio would send for {@code url} and form {@code params}. */
  public static String sign(String authToken, String url, Map<String, String> params) {
    var data = new StringBuilder(url);
    new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
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
    if (presented == null || presented.isEmpty()) {
      return false;
    }
    String expected = sign(authToken, url, params);
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        presented.getBytes(StandardCharsets.US_ASCII));
  }
}

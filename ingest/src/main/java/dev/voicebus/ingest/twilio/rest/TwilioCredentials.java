package dev.voicebus.ingest.twilio.rest;

import dev.voicebus.ingest.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The account SID and auth token Twilio's REST API authenticates with (HTTP basic auth), from the
 * account settings ({@code ingest.twilio.account-sid} + {@code ingest.twilio.auth-token}, or an
 * entry of {@code ingest.twilio.accounts-file}). The token never appears in {@code toString}.
 */
public record TwilioCredentials(String accountSid, Secret authToken) {

  private static final Pattern SID = Pattern.compile("AC[A-Za-z0-9]{1,64}");

  public TwilioCredentials {
    Objects.requireNonNull(authToken, "authToken");
    if (accountSid == null || !SID.matcher(accountSid).matches()) {
      throw new IllegalArgumentException(
          "'" + accountSid + "' is not a Twilio account SID (AC followed by letters and digits)");
    }
  }

  /** The {@code Authorization} header value. */
  String basicAuthorization() {
    String pair = accountSid + ":" + authToken.reveal();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "TwilioCredentials[" + accountSid + ", ***]";
  }
}

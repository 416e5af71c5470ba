package dev.voicebus.tools.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One HTTP webhook tool declared under {@code tools.webhook.<name>.*}. The secret is the
 * HMAC-SHA256 key for the {@code X-Voicebus-Signature} header; it never appears in {@link
 * #toString()}.
 */
public record WebhookToolConfig(
    String name,
    URI url,
    String description,
    JsonNode parameters,
    Duration timeout,
    String secret,
    boolean idempotent) {

  public WebhookToolConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(parameters, "parameters");
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException(
          "tools.webhook." + name + ".url='" + url + "' is invalid: use an http or https URL");
    }
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException(
          "tools.webhook." + name + ".secret is required: the HMAC key the receiver verifies");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "tools.webhook." + name + ".timeout=" + timeout + " is invalid: use a positive duration");
    }
  }

  @Override
  public String toString() {
    return "WebhookToolConfig[name="
        + name
        + ", url="
        + url
        + ", timeout="
        + timeout
        + ", idempotent="
        + idempotent
        + ", secret=***]";
  }
}

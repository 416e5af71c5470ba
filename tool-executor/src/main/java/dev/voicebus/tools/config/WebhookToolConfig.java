package dev.voicebus.tools.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.tools.webhook.WebhookSigner;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP webhook tool declared under {@code tools.webhook.<name>.*}. The secrets are the Standard
 * Webhooks {@code whsec_} keys that sign each request (more than one while a secret rotates); they
 * never appear in {@link #toString()}. A tool owned by a tenant is offered only to that tenant's
 * calls.
 */
public record WebhookToolConfig(
    String name,
    URI url,
    String description,
    JsonNode parameters,
    Duration timeout,
    List<String> secrets,
    boolean idempotent,
    Optional<String> tenantId) {

  public WebhookToolConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(tenantId, "tenantId");
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException(
          "tools.webhook." + name + ".url='" + url + "' is invalid: use an http or https URL");
    }
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
    // Fails at start-up, naming the key, when a secret is missing or not a whsec_ key.
    new WebhookSigner(secrets, "tools.webhook." + name + ".secret");
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
        + ", tenantId="
        + tenantId.orElse("(all)")
        + ", secrets="
        + secrets.size()
        + "x***]";
  }
}

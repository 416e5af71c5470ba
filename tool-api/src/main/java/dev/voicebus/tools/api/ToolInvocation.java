package dev.voicebus.tools.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One call of a tool: which phone call asked (callId), the model's call id (toolCallId, unique per
 * call), the tenant if known, the validated arguments, and the deadline after which the caller is
 * told the tool timed out.
 */
public record ToolInvocation(
    String callId,
    String toolCallId,
    Optional<String> tenantId,
    JsonNode arguments,
    Instant deadline) {

  public ToolInvocation {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(toolCallId, "toolCallId");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(deadline, "deadline");
  }

  /** Time left until the deadline (zero or negative once it has passed). */
  public Duration remaining() {
    return Duration.between(Instant.now(), deadline);
  }
}

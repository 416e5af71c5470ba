package dev.voicebus.tools.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;
import java.util.Optional;

/**
 * What a tool returns: {@link Ok} with the JSON the model receives as the function output (and,
 * optionally, a {@link CallAction} such as hanging up), or {@link Error} with a short machine code
 * and a sentence the agent can say to the caller.
 */
public sealed interface ToolOutcome permits ToolOutcome.Ok, ToolOutcome.Error {

  /** A successful call; {@code output} is sent to the model as it is. */
  static ToolOutcome ok(JsonNode output) {
    return new Ok(output, Optional.empty());
  }

  /**
   * A successful call that also asks the phone call to do something (hang up, transfer) once the
   * agent's current words have played; {@code output} is sent to the model as it is.
   */
  static ToolOutcome ok(JsonNode output, CallAction action) {
    return new Ok(output, Optional.of(action));
  }

  /** A successful call whose output is one text field, {@code {"result": text}}. */
  static ToolOutcome ok(String text) {
    return ok(JsonNodeFactory.instance.objectNode().put("result", text));
  }

  /** A failed call that must not be retried. */
  static ToolOutcome error(String code, String message) {
    return new Error(code, message, false);
  }

  /** A failed call that may succeed if tried again (retried only for idempotent tools). */
  static ToolOutcome retryableError(String code, String message) {
    return new Error(code, message, true);
  }

  /** The tool did what was asked, and may ask the call to act. */
  record Ok(JsonNode output, Optional<CallAction> action) implements ToolOutcome {
    public Ok {
      Objects.requireNonNull(output, "output");
      Objects.requireNonNull(action, "action");
    }
  }

  /**
   * The tool could not do what was asked.
   *
   * @param code a short code such as {@code not_found} or {@code http_503}
   * @param message a sentence the agent can speak, e.g. "The order system is unavailable."
   * @param retryable whether trying again might help
   */
  record Error(String code, String message, boolean retryable) implements ToolOutcome {
    public Error {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }
}

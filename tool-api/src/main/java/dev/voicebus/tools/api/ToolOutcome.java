package dev.voicebus.tools.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * What a tool returns: {@link Ok} with the JSON the model receives as the function output, or
 * {@link Error} with a short machine code and a sentence the agent can say to the caller.
 */
public sealed interface ToolOutcome permits ToolOutcome.Ok, ToolOutcome.Error {

  /** A successful call; {@code output} is sent to the model as it is. */
  static ToolOutcome ok(JsonNode output) {
    return new Ok(output);
  }

  /** A successful call whose output is one text field, {@code {"result": text}}. */
  static ToolOutcome ok(String text) {
    return new Ok(JsonNodeFactory.instance.objectNode().put("result", text));
  }

  /** A failed call that must not be retried. */
  static ToolOutcome error(String code, String message) {
    return new Error(code, message, false);
  }

  /** A failed call that may succeed if tried again (retried only for idempotent tools). */
  static ToolOutcome retryableError(String code, String message) {
    return new Error(code, message, true);
  }

  /** The tool did what was asked. */
  record Ok(JsonNode output) implements ToolOutcome {
    public Ok {
      Objects.requireNonNull(output, "output");
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

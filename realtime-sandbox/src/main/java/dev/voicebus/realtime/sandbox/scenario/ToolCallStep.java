package dev.voicebus.realtime.sandbox.scenario;

import java.util.Objects;

/**
 * A scripted function call: the tool name and its arguments as a JSON string.
 *
 * @param name tool name, called only if the session declares a function tool of that name
 * @param argumentsJson arguments as the model would stream them
 */
public record ToolCallStep(String name, String argumentsJson) {
  public ToolCallStep {
    Objects.requireNonNull(name, "name");
    argumentsJson = argumentsJson == null ? "{}" : argumentsJson;
  }
}

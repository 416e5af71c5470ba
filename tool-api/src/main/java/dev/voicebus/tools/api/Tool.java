package dev.voicebus.tools.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool the voice agent can call, discovered by the tool executor with {@link
 * java.util.ServiceLoader}: put the implementation's class name in {@code
 * META-INF/services/dev.voicebus.tools.api.Tool} and the jar on the executor's classpath. The name,
 * description and parameters schema are what the model sees in the session's {@code tools}.
 *
 * <p>Implementations must be thread-safe: the executor runs many calls of one tool at once, each on
 * a pool thread, and interrupts a call that overruns its deadline.
 */
public interface Tool {

  /** The function name the model calls, e.g. {@code lookup_order}; letters, digits, _ and -. */
  String name();

  /** One or two sentences telling the model when to call this tool. */
  String description();

  /** The JSON Schema (an object schema) of the arguments; the executor validates against it. */
  JsonNode parametersSchema();

  /**
   * Whether running the tool twice with the same arguments is harmless. Only idempotent tools are
   * retried (with backoff, while the deadline allows) after an exception or a retryable error.
   */
  default boolean idempotent() {
    return false;
  }

  /**
   * Runs one call. Arguments have already been validated against {@link #parametersSchema()}. An
   * exception becomes an {@code error} result the model can speak about; so does {@link
   * ToolOutcome#error(String, String)}. Should return before {@link ToolInvocation#deadline()}.
   */
  ToolOutcome execute(ToolInvocation invocation) throws Exception;
}

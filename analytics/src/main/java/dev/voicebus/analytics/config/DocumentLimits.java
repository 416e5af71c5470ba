package dev.voicebus.analytics.config;

/**
 * How large one call document may grow, so that a long call still fits one Kafka record and one
 * store entry: the turns, tool calls, reconnects and errors kept (the oldest are dropped first and
 * counted), the characters kept of each text, and an overall budget in bytes.
 */
public record DocumentLimits(
    int maxTurns, int maxToolCalls, int maxTextChars, int maxListEntries, int maxDocumentBytes) {

  /** The defaults: 500 turns, 200 tool calls, 4000 characters per text, 50 reconnects/errors. */
  public static final DocumentLimits DEFAULTS = new DocumentLimits(500, 200, 4000, 50, 512 * 1024);

  public DocumentLimits {
    require("analytics.max-turns", maxTurns, 10, 100_000);
    require("analytics.max-tool-calls", maxToolCalls, 1, 10_000);
    require("analytics.max-text-chars", maxTextChars, 100, 1_000_000);
    require("analytics.max-list-entries", maxListEntries, 1, 10_000);
    require("analytics.max-document-bytes", maxDocumentBytes, 16 * 1024, 64 * 1024 * 1024);
  }

  private static void require(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          key + "='" + value + "' is invalid: use a whole number from " + min + " to " + max);
    }
  }
}

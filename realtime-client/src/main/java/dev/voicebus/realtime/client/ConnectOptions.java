package dev.voicebus.realtime.client;

import java.util.Locale;
import java.util.Map;

/**
 * Extra query parameters and headers of one connection, e.g. {@code OpenAI-Safety-Identifier}.
 * {@code Authorization} and {@code api-key} come from the config and {@code OpenAI-Beta} (the
 * retired beta shape) is refused.
 */
public record ConnectOptions(Map<String, String> query, Map<String, String> headers) {

  public static final ConnectOptions NONE = new ConnectOptions(Map.of(), Map.of());

  public ConnectOptions {
    query = Map.copyOf(query);
    headers = Map.copyOf(headers);
    for (String name : headers.keySet()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("openai-beta") || lower.equals("authorization") || lower.equals("api-key")) {
        throw new IllegalArgumentException(
            "header "
                + name
                + " is not allowed: the GA protocol rejects OpenAI-Beta, and Authorization and"
                + " api-key come from RealtimeClientConfig.apiKey");
      }
    }
  }

  /** Options with one extra header. */
  public static ConnectOptions header(String name, String value) {
    return new ConnectOptions(Map.of(), Map.of(name, value));
  }
}

package dev.voicebus.analytics.http;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Query parameters of one request, with typed getters that fail with 400 and a reason. */
final class Params {

  private final Map<String, String> values = new HashMap<>();

  Params(URI uri) {
    String query = uri.getRawQuery();
    if (query == null || query.isEmpty()) {
      return;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (values.putIfAbsent(name, value) != null) {
        throw HttpError.badRequest(name + " is given twice");
      }
    }
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("malformed query string: " + e.getMessage());
    }
  }

  Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name)).filter(v -> !v.isEmpty());
  }

  Optional<Instant> instant(String name) {
    Optional<String> raw = get(name);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    String text = raw.get();
    try {
      if (text.chars().allMatch(Character::isDigit)) {
        return Optional.of(Instant.ofEpochMilli(Long.parseLong(text)));
      }
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException | NumberFormatException e) {
      throw HttpError.badRequest(
          name
              + "='"
              + clip(text)
              + "' is invalid: use an ISO-8601 instant such as 2026-12-01T00:00:00Z, or epoch"
              + " milliseconds");
    }
  }

  int integer(String name, int fallback, int min, int max) {
    Optional<String> raw = get(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw HttpError.badRequest(
        name
            + "='"
            + clip(raw.get())
            + "' is invalid: use a whole number from "
            + min
            + " to "
            + max);
  }

  /** Refuses parameters this endpoint does not know (a typo would silently widen a query). */
  void allowOnly(String... names) {
    for (String name : values.keySet()) {
      boolean known = false;
      for (String allowed : names) {
        known |= allowed.equals(name);
      }
      if (!known) {
        throw HttpError.badRequest(
            "unknown parameter '" + clip(name) + "' (known: " + String.join(", ", names) + ")");
      }
    }
  }

  static String clip(String text) {
    return text.length() <= 60 ? text : text.substring(0, 60) + "...";
  }
}

package dev.voicebus.recorder.storage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Where a call's recording is stored, relative to the store's root: {@code
 * {tenant}/{yyyy}/{mm}/{dd}/{callId}} (the call's start date in UTC), plus {@code .wav} and {@code
 * .json}. Tenant and call id come from Kafka records, so every character outside {@code
 * [A-Za-z0-9._-]} is written as {@code %XX} (UTF-8) and a name of only dots is escaped: no key can
 * leave its tenant's folder.
 */
public record RecordingKey(String tenant, Instant startedAt, String callId) {

  /** The path without extension, {@code /}-separated. */
  public String base() {
    ZonedDateTime day = startedAt.atZone(ZoneOffset.UTC);
    return String.format(
        "%s/%04d/%02d/%02d/%s",
        safe(tenant), day.getYear(), day.getMonthValue(), day.getDayOfMonth(), safe(callId));
  }

  public String wav() {
    return base() + ".wav";
  }

  public String json() {
    return base() + ".json";
  }

  /** {@code name} with every character outside {@code [A-Za-z0-9._-]} percent-encoded. */
  public static String safe(String name) {
    if (name == null || name.isEmpty()) {
      return "_";
    }
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (plain) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xFF));
      }
    }
    String safe = out.toString();
    return safe.chars().allMatch(c -> c == '.') ? safe.replace(".", "%2E") : safe;
  }
}

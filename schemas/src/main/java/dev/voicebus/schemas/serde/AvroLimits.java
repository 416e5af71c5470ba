package dev.voicebus.schemas.serde;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.SystemLimitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Avro's JVM-wide decoder limits ({@code org.apache.avro.limits.*} system properties), which Avro
 * reads once, when its decoders first check a length. Avro's own defaults allow a single string of
 * 2 GiB, so a 20-byte record declaring a 1.5 GB string makes a decoder without a known input size
 * allocate it. {@link #applyDefaults()} sets the properties the user has not set before Avro reads
 * them; {@link AvroSerde} calls it first thing, and also decodes from a byte array so that a
 * declared length past the record's end is refused whatever the limits are.
 */
public final class AvroLimits {

  /** Longest string Voicebus lets Avro decode, unless the user set its property: 16 MiB. */
  public static final int MAX_STRING_BYTES = 16 * 1024 * 1024;

  /** Longest {@code bytes} value Voicebus lets Avro decode, unless the user set it: 16 MiB. */
  public static final int MAX_BYTES = 16 * 1024 * 1024;

  /** Most items of one array or map, unless the user set its property: 1 Mi. */
  public static final int MAX_COLLECTION_ITEMS = 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(AvroLimits.class);
  private static boolean applied;

  private AvroLimits() {}

  /**
   * Sets each limit property the user has not set, then checks that Avro took them. If Avro read
   * its limits before this ran (some other code decoded Avro first in this JVM), a warning names
   * the property to set on the command line; {@link AvroSerde} still refuses lengths past a
   * record's end. Idempotent and thread-safe.
   */
  public static synchronized void applyDefaults() {
    if (applied) {
      return;
    }
    applied = true;
    Map<String, Integer> defaults = new LinkedHashMap<>();
    defaults.put(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_STRING_BYTES);
    defaults.put(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_BYTES);
    defaults.put(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_COLLECTION_ITEMS);
    Map<String, Integer> setHere = new LinkedHashMap<>();
    defaults.forEach(
        (property, limit) -> {
          if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(limit));
            setHere.put(property, limit);
          }
        });
    setHere.forEach(
        (property, limit) -> {
          if (!enforced(property, limit)) {
            log.warn(
                "Avro read {} before Voicebus could set it to {}; set -D{}={} on the command line"
                    + " to bound what Avro may allocate for one value",
                property,
                limit,
                property,
                limit);
          }
        });
  }

  /** Whether Avro refuses a length of {@code limit + 1} for the limit named by {@code property}. */
  static boolean enforced(String property, int limit) {
    long tooLong = limit + 1L;
    try {
      if (property.equals(SystemLimitException.MAX_STRING_LENGTH_PROPERTY)) {
        SystemLimitException.checkMaxStringLength(tooLong);
      } else if (property.equals(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY)) {
        SystemLimitException.checkMaxBytesLength(tooLong);
      } else {
        SystemLimitException.checkMaxCollectionLength(tooLong);
      }
      return false;
    } catch (SystemLimitException e) {
      return true;
    }
  }
}

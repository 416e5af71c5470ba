package dev.voicebus.redaction.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an agent profile redacts and how: the detectors that are on, custom patterns, the
 * replacement style per detector, and whether keypad input is masked. Read from the profile's
 * {@code redaction} block by {@link #fromJson}; {@link #defaults()} is what a profile without one
 * gets.
 *
 * @param enabled whether anything is redacted at all
 * @param detectors the built-in detectors that are on ({@link DetectorKind#CUSTOM} is implied by
 *     {@code custom})
 * @param custom patterns from configuration, with unique names
 * @param replacements the style per detector where it differs from the default ({@link
 *     ReplacementStyle#LABEL_LAST4} for cards, {@link ReplacementStyle#LABEL} for the rest)
 * @param mask the fixed text of {@link ReplacementStyle#MASK}
 * @param keypadSensitive whether every keypad digit is masked
 */
public record RedactionPolicy(
    boolean enabled,
    Set<DetectorKind> detectors,
    List<CustomPattern> custom,
    Map<DetectorKind, ReplacementStyle> replacements,
    String mask,
    boolean keypadSensitive) {

  /** The detectors that are on unless a profile says otherwise. */
  public static final Set<DetectorKind> DEFAULT_DETECTORS =
      Set.copyOf(
          EnumSet.of(
              DetectorKind.CARD,
              DetectorKind.CVV,
              DetectorKind.EXPIRY,
              DetectorKind.SSN,
              DetectorKind.UK_NINO,
              DetectorKind.CA_SIN));

  public static final String DEFAULT_MASK = "[redacted]";

  public RedactionPolicy {
    Objects.requireNonNull(mask, "mask");
    detectors = detectors.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(detectors));
    if (detectors.contains(DetectorKind.CUSTOM)) {
      throw new IllegalArgumentException(
          "redaction.detectors: custom patterns are listed under redaction.custom");
    }
    custom = List.copyOf(custom);
    Set<String> names = new HashSet<>();
    for (CustomPattern pattern : custom) {
      if (!names.add(pattern.name())) {
        throw new IllegalArgumentException(
            "redaction.custom: the name '" + pattern.name() + "' is used twice; names must differ");
      }
    }
    Map<DetectorKind, ReplacementStyle> copy = new EnumMap<>(DetectorKind.class);
    copy.putAll(replacements);
    for (Map.Entry<DetectorKind, ReplacementStyle> e : copy.entrySet()) {
      if (e.getValue() == ReplacementStyle.LABEL_LAST4 && e.getKey() != DetectorKind.CARD) {
        throw new IllegalArgumentException(
            "redaction.replacement."
                + e.getKey().configName()
                + "='label-last4' is invalid: keeping the last four is for cards only; use label"
                + " or mask");
      }
    }
    replacements = Map.copyOf(copy);
    if (mask.isBlank() || mask.length() > 64) {
      throw new IllegalArgumentException(
          "redaction.mask='" + mask + "' is invalid: use 1 to 64 characters, not only spaces");
    }
  }

  /** On: cards, card codes, expiry dates and national identifiers; labels; keypad not masked. */
  public static RedactionPolicy defaults() {
    return new RedactionPolicy(true, DEFAULT_DETECTORS, List.of(), Map.of(), DEFAULT_MASK, false);
  }

  /** Redacts nothing. */
  public static RedactionPolicy disabled() {
    return new RedactionPolicy(false, Set.of(), List.of(), Map.of(), DEFAULT_MASK, false);
  }

  /**
   * Reads a profile's {@code redaction} block; a missing (null) block gives {@link #defaults()}. An
   * invalid value fails with a message naming the field, the value and what would be valid.
   */
  public static RedactionPolicy fromJson(JsonNode block) {
    return PolicyReader.read(block);
  }

  /** Whether {@code kind} is redacted under this policy. */
  public boolean isOn(DetectorKind kind) {
    if (!enabled) {
      return false;
    }
    return kind == DetectorKind.CUSTOM ? !custom.isEmpty() : detectors.contains(kind);
  }

  /** The replacement style of a built-in detector. */
  public ReplacementStyle replacement(DetectorKind kind) {
    ReplacementStyle style = replacements.get(kind);
    if (style != null) {
      return style;
    }
    return kind == DetectorKind.CARD ? ReplacementStyle.LABEL_LAST4 : ReplacementStyle.LABEL;
  }

  /** A copy with {@code kinds} also on. */
  public RedactionPolicy with(DetectorKind... kinds) {
    Set<DetectorKind> more =
        detectors.isEmpty() ? EnumSet.noneOf(DetectorKind.class) : EnumSet.copyOf(detectors);
    more.addAll(List.of(kinds));
    return new RedactionPolicy(enabled, more, custom, replacements, mask, keypadSensitive);
  }
}

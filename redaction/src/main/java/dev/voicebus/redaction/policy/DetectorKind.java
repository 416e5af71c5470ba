package dev.voicebus.redaction.policy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kinds of sensitive value Voicebus can redact, in order of precedence: where two findings
 * overlap, the replacement of the earlier kind covers both. Each has the name used in a profile's
 * {@code redaction} block and the label of its replacement ({@code [cvv]}).
 */
public enum DetectorKind {
  CARD("card", "card"),
  CVV("cvv", "cvv"),
  EXPIRY("expiry", "expiry"),
  SSN("ssn", "ssn"),
  UK_NINO("ukNino", "nino"),
  CA_SIN("caSin", "sin"),
  /** A pattern from configuration; its label is the pattern's name. */
  CUSTOM("custom", "custom"),
  PHONE("phone", "phone"),
  EMAIL("email", "email");

  private final String configName;
  private final String label;

  DetectorKind(String configName, String label) {
    this.configName = configName;
    this.label = label;
  }

  /** The name in a profile's {@code redaction.detectors} list. */
  public String configName() {
    return configName;
  }

  /** The word in the replacement label, e.g. {@code cvv} for {@code [cvv]}. */
  public String label() {
    return label;
  }

  /** The detector named {@code name} in configuration (custom patterns are not listed by name). */
  public static Optional<DetectorKind> fromConfigName(String name) {
    return Arrays.stream(values())
        .filter(k -> k != CUSTOM && k.configName.equals(name))
        .findFirst();
  }

  /** The configuration names, for error messages. */
  public static String configNames() {
    return Arrays.stream(values())
        .filter(k -> k != CUSTOM)
        .map(DetectorKind::configName)
        .collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package dev.voicebus.redaction.policy;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a sensitive value is replaced: a label that keeps a card's last four digits ({@code [card
 * ****1111]}, cards only, which PCI DSS allows to be shown), a label alone ({@code [cvv]}), or the
 * policy's fixed mask, which tells a reader nothing about what was there.
 */
public enum ReplacementStyle {
  LABEL_LAST4("label-last4"),
  LABEL("label"),
  MASK("mask");

  private final String configName;

  ReplacementStyle(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static Optional<ReplacementStyle> fromConfigName(String name) {
    return Arrays.stream(values()).filter(s -> s.configName.equals(name)).findFirst();
  }

  public static String configNames() {
    return Arrays.stream(values())
        .map(ReplacementStyle::configName)
        .collect(Collectors.joining(", "));
  }
}

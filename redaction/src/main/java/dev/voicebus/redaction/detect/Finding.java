package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.policy.DetectorKind;

/**
 * A sensitive value found between {@code start} (inclusive) and {@code end} (exclusive) of the text
 * it was found in.
 *
 * @param kind which detector found it
 * @param name the label word: the kind's label, or a custom pattern's name
 * @param start offset of its first character
 * @param end offset after its last character
 * @param last4 a card's last four digits (which PCI DSS allows to be shown); null for other kinds
 */
public record Finding(DetectorKind kind, String name, int start, int end, String last4) {

  public Finding {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("empty or negative span " + start + ".." + end);
    }
  }

  static Finding of(DetectorKind kind, int start, int end) {
    return new Finding(kind, kind.label(), start, end, null);
  }

  /** The smallest span covering both, labelled by the kind that takes precedence. */
  Finding union(Finding other) {
    Finding first = kind.compareTo(other.kind) <= 0 ? this : other;
    return new Finding(
        first.kind,
        first.name,
        Math.min(start, other.start),
        Math.max(end, other.end),
        first.last4);
  }
}

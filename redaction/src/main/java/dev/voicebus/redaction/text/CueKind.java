package dev.voicebus.redaction.text;

/** What a context cue is about: the sensitive value that is likely to follow it. */
public enum CueKind {
  /** "card number", "credit card", "Visa"; also a detected card number. */
  CARD,
  /** "security code", "CVV", "three digit code on the back". */
  CVV,
  /** "expiry", "expires", "valid thru". */
  EXPIRY,
  /** "social security", "SSN". */
  SSN,
  /** "social insurance", "SIN". */
  SIN,
  /** "national insurance", "NI number". */
  NINO;

  /** Whether this cue puts what follows in the context of a card (codes and expiry dates). */
  public boolean isCard() {
    return this == CARD || this == CVV || this == EXPIRY;
  }
}

package dev.voicebus.worker.config;

import java.time.Duration;

/**
 * How a profile takes keypad input. Digits are collected until a terminator key, {@code maxDigits}
 * digits, or {@code interDigitTimeout} without a key, so a PIN reaches the model as one user
 * message ("The caller pressed 1 2 3 4 #"), after which a response is requested when {@code
 * respond} is set.
 *
 * @param enabled whether digits reach the model at all
 * @param terminators keys that end an entry (e.g. {@code #}); empty for none
 * @param interDigitTimeout an entry ends after this long without a key
 * @param maxDigits an entry ends at this many keys
 * @param respond whether the model is asked to respond after an entry
 */
public record DtmfPolicy(
    boolean enabled,
    String terminators,
    Duration interDigitTimeout,
    int maxDigits,
    boolean respond) {

  public static final DtmfPolicy DEFAULT =
      new DtmfPolicy(true, "#", Duration.ofSeconds(3), 32, true);

  public DtmfPolicy {
    if (!terminators.matches("[0-9*#A-D]*")) {
      throw new IllegalArgumentException(
          "dtmf.terminator='" + terminators + "' is invalid: use keys from 0-9 * # A-D, or none");
    }
    if (interDigitTimeout.isNegative() || interDigitTimeout.isZero()) {
      throw new IllegalArgumentException(
          "dtmf.interDigitTimeout=" + interDigitTimeout + " is invalid: use a positive duration");
    }
    if (maxDigits < 1 || maxDigits > 64) {
      throw new IllegalArgumentException(
          "dtmf.maxDigits=" + maxDigits + " is invalid: use 1 to 64");
    }
  }
}

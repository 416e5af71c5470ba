package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.text.DigitRun;
import java.util.List;

/**
 * A detector that judges a whole run of digits (a card code, an identifier, a phone number),
 * written or spoken alike. Implementations are stateless and thread-safe.
 */
interface RunDetector {

  /** Adds what it finds in {@code run} to {@code out}; true if it claimed the run. */
  boolean detect(DigitRun run, RunContext context, List<Finding> out);
}

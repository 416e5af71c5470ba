package dev.voicebus.analytics.assembly;

import dev.voicebus.analytics.usage.UsageDelta;
import dev.voicebus.avro.CallRecord;
import java.util.List;

/**
 * What one input did to a call's document: the document after it (null only when there was none and
 * the input made none), whether it changed, whether the call just became final, and what the change
 * adds to the tenant's usage.
 */
public record Assembled(
    CallRecord document, boolean changed, boolean becameFinal, List<UsageDelta> usage) {

  public Assembled {
    usage = List.copyOf(usage);
  }

  static Assembled unchanged(CallRecord document) {
    return new Assembled(document, false, false, List.of());
  }
}

package dev.voicebus.analytics.topology;

import dev.voicebus.analytics.usage.UsageDelta;
import dev.voicebus.avro.CallRecord;

/** What the call assembler emits: documents to publish and usage to aggregate by tenant. */
sealed interface AssemblyOutput {

  /** A document revision; {@code last} when the call is final. */
  record Document(CallRecord document, boolean last) implements AssemblyOutput {}

  record Contribution(UsageDelta delta) implements AssemblyOutput {}
}

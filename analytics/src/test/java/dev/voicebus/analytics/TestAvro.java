package dev.voicebus.analytics;

import dev.voicebus.analytics.usage.UsageDelta;
import dev.voicebus.avro.CallRecord;
import dev.voicebus.schemas.serde.AvroSerde;

/** Makes Avro trust the generated classes tests build, as the service's serdes do at start. */
public final class TestAvro {

  private TestAvro() {}

  public static void trust() {
    AvroSerde.of(CallRecord.class);
    AvroSerde.of(UsageDelta.class);
  }
}

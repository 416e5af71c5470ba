package dev.voicebus.worker.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.schemas.serde.AvroSerde;
import java.io.InputStream;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * Call state written by a worker of the previous release (CallState v1, without responseOwed) must
 * restore on an upgraded worker, or a rolling upgrade would lose live calls.
 */
class CallStateEvolutionTest {

  @Test
  void stateWrittenWithV1RestoresWithTheCurrentSchema() throws Exception {
    Schema v1;
    try (InputStream in =
        getClass().getResourceAsStream("/dev/voicebus/schemas/history/CallState/v1.avsc")) {
      v1 = new Schema.Parser().parse(in);
    }
    assertThat(v1.getField("responseOwed")).isNull();
    Schema usage = v1.getField("usage").schema();
    GenericRecord old =
        new GenericRecordBuilder(v1)
            .set("callId", "call-1")
            .set("tenantId", "acme")
            .set("profileId", "support")
            .set("codec", "PCMU")
            .set("replyTopic", "voicebus.audio.out")
            .set("replyPartition", 0)
            .set("startedAtMs", 1L)
            .set("status", new GenericData.EnumSymbol(v1.getField("status").schema(), "LIVE"))
            .set("entries", List.of())
            .set("pendingTools", List.of())
            .set("settledTools", List.of())
            .set("usage", new GenericRecordBuilder(usage).build())
            .build();
    byte[] bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old).array();

    CallState restored = AvroSerde.of(CallState.class).deserializer().deserialize("state", bytes);

    assertThat(restored.getCallId()).isEqualTo("call-1");
    assertThat(restored.getStatus()).isEqualTo(CallStatus.LIVE);
    assertThat(restored.getResponseOwed()).isFalse();
    assertThat(restored.getSource()).isEqualTo("UNKNOWN");
  }

  @Test
  void stateWrittenWithV2RestoresWithoutASource() throws Exception {
    Schema v2;
    try (InputStream in =
        getClass().getResourceAsStream("/dev/voicebus/schemas/history/CallState/v2.avsc")) {
      v2 = new Schema.Parser().parse(in);
    }
    assertThat(v2.getField("source")).isNull();
    GenericRecord old =
        new GenericRecordBuilder(v2)
            .set("callId", "call-2")
            .set("tenantId", "acme")
            .set("profileId", "support")
            .set("codec", "PCMU")
            .set("replyTopic", "voicebus.audio.out")
            .set("replyPartition", 0)
            .set("startedAtMs", 1L)
            .set("status", new GenericData.EnumSymbol(v2.getField("status").schema(), "LIVE"))
            .set("entries", List.of())
            .set("pendingTools", List.of())
            .set("settledTools", List.of())
            .set("usage", new GenericRecordBuilder(v2.getField("usage").schema()).build())
            .set("responseOwed", true)
            .build();
    byte[] bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(old).array();

    CallState restored = AvroSerde.of(CallState.class).deserializer().deserialize("state", bytes);

    assertThat(restored.getResponseOwed()).isTrue();
    assertThat(restored.getSource()).isEqualTo("UNKNOWN");
    assertThat(restored.getExternalCallId()).isNull();
  }
}

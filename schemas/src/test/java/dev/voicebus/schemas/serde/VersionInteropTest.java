package dev.voicebus.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.ToolResult;
import dev.voicebus.schemas.SampleRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Rolling upgrades in both directions, for every published version of every contract type: a reader
 * on an older version reads what the current writer writes, and the current reader reads what an
 * older writer wrote (the fields added since take their defaults).
 */
class VersionInteropTest {

  private static List<SpecificRecord> samples() {
    // Avro instantiates generated classes only from packages a serde has vouched for.
    ContractType.ALL.forEach(t -> AvroSerde.of(t.type()));
    List<SpecificRecord> samples = new ArrayList<>();
    samples.addAll(SampleRecords.callControl("call-v"));
    samples.addAll(SampleRecords.audioOut("call-v"));
    samples.add(SampleRecords.transcript("call-v"));
    samples.add(SampleRecords.toolCall("call-v"));
    samples.add(SampleRecords.toolResult("call-v"));
    samples.addAll(SampleRecords.sessionEvents("call-v"));
    samples.add(SampleRecords.callRecord("call-v"));
    return samples;
  }

  @Test
  void everyOlderReaderReadsWhatTheCurrentWriterWrites() throws IOException {
    int checked = 0;
    for (SpecificRecord record : samples()) {
      Schema current = record.getSchema();
      for (Schema older : SchemaHistory.versions(new ContractType<>(type(record)))) {
        GenericRecord read = readAs(current, older, write(record));
        assertThat(callId(read)).isEqualTo("call-v");
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(samples().size());
  }

  @Test
  void theCurrentReaderReadsWhatEveryOlderWriterWrote() throws IOException {
    for (SpecificRecord record : samples()) {
      Class<SpecificRecord> type = type(record);
      var serde = AvroSerde.of(type);
      for (Schema older : SchemaHistory.versions(new ContractType<>(type))) {
        // The record as an older writer would have written it: only the fields it knew.
        GenericRecord asOlder = readAs(record.getSchema(), older, write(record));
        byte[] olderBytes =
            new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older)
                .encode(asOlder)
                .array();

        SpecificRecord decoded = serde.decode(olderBytes);

        assertThat(decoded.getClass()).isEqualTo(type);
        assertThat(decoded.getSchema()).isEqualTo(record.getSchema());
      }
    }
  }

  @Test
  void fieldsAddedSinceAnOldWriterTakeTheirDefaults() throws IOException {
    ToolResult current = SampleRecords.toolResult("call-v");
    Schema v1 = SchemaHistory.versions(new ContractType<>(ToolResult.class)).get(0);
    GenericRecord asV1 = readAs(current.getSchema(), v1, write(current));
    byte[] v1Bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(asV1).array();

    ToolResult decoded = AvroSerde.of(ToolResult.class).decode(v1Bytes);

    assertThat(decoded.getOutputJson()).isEqualTo(current.getOutputJson());
    assertThat(decoded.getAction()).isNull();
    assertThat(decoded.getTenantId()).isNull();
    assertThat(decoded.getAgentProfile()).isNull();
  }

  @SuppressWarnings("unchecked")
  private static Class<SpecificRecord> type(SpecificRecord record) {
    return (Class<SpecificRecord>) record.getClass();
  }

  private static byte[] write(SpecificRecord record) throws IOException {
    var out = new ByteArrayOutputStream();
    var encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static GenericRecord readAs(Schema writer, Schema reader, byte[] body)
      throws IOException {
    return new GenericDatumReader<GenericRecord>(writer, reader)
        .read(null, DecoderFactory.get().binaryDecoder(body, null));
  }

  private static Object callId(GenericRecord record) {
    if (record.getSchema().getField("callId") != null) {
      return record.get("callId").toString();
    }
    return ((GenericRecord) record.get("event")).get("callId").toString();
  }
}

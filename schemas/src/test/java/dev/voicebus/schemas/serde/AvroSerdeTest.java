package dev.voicebus.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.schemas.SampleRecords;
import dev.voicebus.schemas.testing.PoisonRecords;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SystemLimitException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  private final AvroSerde<AudioFrame> frames = AvroSerde.of(AudioFrame.class);

  @Test
  void writesSingleObjectEncodingWithTheSchemaFingerprint() {
    byte[] bytes = frames.encode(SampleRecords.audioFrame("call-1", 7));

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    long fingerprint = SchemaNormalization.parsingFingerprint64(AudioFrame.getClassSchema());
    long written = 0;
    for (int i = 9; i >= 2; i--) {
      written = (written << 8) | (bytes[i] & 0xFF);
    }
    assertThat(written).isEqualTo(fingerprint);
  }

  @Test
  void roundTripsEveryUnionBranch() {
    var control = AvroSerde.of(CallControl.class);
    var events = AvroSerde.of(SessionEvent.class);
    for (CallControl record : SampleRecords.callControl("call-2")) {
      assertThat(control.decode(control.encode(record))).isEqualTo(record);
    }
    for (SessionEvent record : SampleRecords.sessionEvents("call-2")) {
      assertThat(events.decode(events.encode(record))).isEqualTo(record);
    }
  }

  @Test
  void garbageFailsWithTheTypeAndTheReason() {
    assertThatThrownBy(() -> frames.decode("not avro at all".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Cannot decode AudioFrame")
        .hasMessageContaining("15 bytes");
  }

  @Test
  void unknownWriterSchemaFailsClearly() {
    Schema newer = withExtraOptionalField(AudioFrame.getClassSchema());
    byte[] bytes = encodeGeneric(newer, SampleRecords.audioFrame("call-3", 1));

    assertThatThrownBy(() -> frames.decode(bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Cannot decode AudioFrame");
  }

  @Test
  void oldReaderReadsANewWriterWhoseSchemaItCanResolve() {
    Schema newer = withExtraOptionalField(AudioFrame.getClassSchema());
    AudioFrame original = SampleRecords.audioFrame("call-4", 3);
    byte[] bytes = encodeGeneric(newer, original);
    Map<Long, Schema> known = new HashMap<>();
    known.put(SchemaNormalization.parsingFingerprint64(newer), newer);
    SchemaStore store = known::get;

    AudioFrame read = AvroSerde.of(AudioFrame.class, store).decode(bytes);

    assertThat(read).isEqualTo(original);
  }

  @Test
  void aStringDeclaredFarPastTheRecordEndIsRefusedWithoutAllocatingIt() {
    byte[] valid = frames.encode(SampleRecords.audioFrame("call-huge", 1));
    byte[] poison =
        PoisonRecords.declaredLength(valid, "call-huge", PoisonRecords.HUGE_DECLARED_LENGTH);

    assertThatThrownBy(() -> frames.decode(poison))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Cannot decode AudioFrame")
        .hasMessageContaining("1500000000");
  }

  @Test
  void aLengthWithinAvrosLimitsButPastTheRecordEndIsRefusedByTheBytesLeft() {
    byte[] valid = frames.encode(SampleRecords.audioFrame("call-long", 1));
    long declared = AvroLimits.MAX_STRING_BYTES - 1; // passes the limit, not the record's size
    byte[] poison = PoisonRecords.declaredLength(valid, "call-long", declared);

    assertThatThrownBy(() -> frames.decode(poison))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Attempted to read " + declared + " bytes")
        .hasMessageContaining("bytes are available");
  }

  @Test
  void avroLimitsAreSetForStringsBytesAndCollections() {
    assertThat(AvroLimits.enforced(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, 16 << 20))
        .isTrue();
    assertThat(AvroLimits.enforced(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, 16 << 20))
        .isTrue();
    assertThat(AvroLimits.enforced(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, 1 << 20))
        .isTrue();
    assertThat(System.getProperty(SystemLimitException.MAX_STRING_LENGTH_PROPERTY))
        .isEqualTo(Integer.toString(AvroLimits.MAX_STRING_BYTES));
  }

  @Test
  void aNullValueIsRefusedNamingIt() {
    assertThatThrownBy(() -> frames.decode(null))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("null value");
  }

  @Test
  void bytesLeftOverAfterTheRecordAreRefused() {
    byte[] valid = frames.encode(SampleRecords.audioFrame("call-5", 1));
    byte[] longer = Arrays.copyOf(valid, valid.length + 3);

    assertThatThrownBy(() -> frames.decode(longer))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("3 bytes left over");
  }

  @Test
  void everyPoisonOfTheCorpusFailsWithItsReason() {
    var sample = SampleRecords.audioFrame("call-corpus", 1);
    for (var poison : PoisonRecords.all(frames, sample, "call-corpus")) {
      if (poison.value() == null || poison.key() == null) {
        continue; // null key/value are refused by RecordDecoder, not the serde
      }
      assertThatThrownBy(() -> frames.decode(poison.value()))
          .as(poison.toString())
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining(poison.kind().reason());
    }
  }

  /** The current schema plus {@code note: ["null","string"] = null}, as a v2 writer would have. */
  static Schema withExtraOptionalField(Schema current) {
    String json = current.toString();
    String extra = ",{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]";
    int end = json.lastIndexOf("]");
    return new Schema.Parser().parse(json.substring(0, end) + extra + json.substring(end + 1));
  }

  /** Writes {@code record}'s fields with {@code writerSchema}, plus a value for the extra field. */
  static byte[] encodeGeneric(Schema writerSchema, AudioFrame record) {
    var generic = new GenericData.Record(writerSchema);
    for (Schema.Field field : AudioFrame.getClassSchema().getFields()) {
      Object value = record.get(field.pos());
      if (value instanceof java.time.Instant instant) {
        value = instant.toEpochMilli();
      } else if (value instanceof Enum<?> e) {
        value = new GenericData.EnumSymbol(writerSchema.getField(field.name()).schema(), e.name());
      }
      generic.put(field.name(), value);
    }
    generic.put("note", "written by v2");
    var out = new ByteArrayOutputStream();
    try {
      new BinaryMessageEncoder<GenericData.Record>(GenericData.get(), writerSchema)
          .encode(generic, out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}

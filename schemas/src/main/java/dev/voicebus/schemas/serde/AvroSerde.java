package dev.voicebus.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for a generated Avro record in Avro's single-object encoding (marker, 8-byte schema
 * fingerprint, body). A reader decodes data from any writer whose schema it can resolve: the
 * current and every published version bundled with {@link SchemaHistory}, and, through an optional
 * {@link SchemaStore}, schemas from newer writers (see {@link KafkaSchemaStore}). No registry
 * service is needed. Thread-safe.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  /** Packages of generated classes that Avro may instantiate by name; each serde adds its own. */
  private static final Set<String> TRUSTED_PACKAGES = ConcurrentHashMap.newKeySet();

  static {
    // Avro resolves records to classes by name when decoding; it refuses classes it does not trust,
    // so trust exactly the packages of the generated types that serdes are built for.
    ClassSecurityValidator.ClassSecurityPredicate generated =
        c -> TRUSTED_PACKAGES.contains(c.getPackageName());
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), generated));
  }

  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private AvroSerde(Class<T> type, SchemaStore fallback) {
    this.type = type;
    TRUSTED_PACKAGES.add(type.getPackageName());
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = model.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema, fallback);
    for (Schema published : SchemaHistory.versions(new ContractType<>(type))) {
      decoder.addSchema(published);
    }
  }

  /** A serde that resolves the current and all bundled published versions of {@code type}. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(type, null);
  }

  /** Like {@link #of(Class)}, asking {@code store} for writer schemas it does not bundle. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, SchemaStore store) {
    return new AvroSerde<>(type, store);
  }

  public Class<T> type() {
    return type;
  }

  /** Encodes one record; a record that does not match its schema fails with the field named. */
  public byte[] encode(T record) {
    var out = new ByteArrayOutputStream(256);
    try {
      encoder.encode(record, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new SerializationException(
          "Cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes one record.
   *
   * @throws SerializationException naming the type and why the bytes are not a readable record (bad
   *     marker, unknown writer schema, truncated or corrupt body)
   */
  public T decode(byte[] bytes) {
    try {
      return decoder.decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Cannot decode " + type.getSimpleName() + " (" + bytes.length + " bytes): " + describe(e),
          e);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, record) -> record == null ? null : encode(record);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}

package dev.voicebus.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
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
 *
 * <p>Decoding is bounded by the record's own size: the body is read from the byte array with a
 * decoder that knows how many bytes are left, so a string, bytes value or collection that declares
 * more than that fails before anything is allocated for it (a 1.5 GB declared string in a 30-byte
 * record is refused, not allocated), and {@link AvroLimits} caps single values JVM-wide.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  /** Packages of generated classes that Avro may instantiate by name; each serde adds its own. */
  private static final Set<String> TRUSTED_PACKAGES = ConcurrentHashMap.newKeySet();

  /** Marker, two bytes, then the writer schema's 8-byte fingerprint (little-endian). */
  private static final int HEADER_BYTES = 10;

  static {
    AvroLimits.applyDefaults();
    // Avro resolves records to classes by name when decoding; it refuses classes it does not trust,
    // so trust exactly the packages of the generated types that serdes are built for.
    ClassSecurityValidator.ClassSecurityPredicate generated =
        c -> TRUSTED_PACKAGES.contains(c.getPackageName());
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), generated));
  }

  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;
  private final SpecificData model;
  private final Schema readerSchema;
  private final SchemaStore fallback;
  private final Map<Long, DatumReader<T>> readers = new ConcurrentHashMap<>();

  /**
   * The schema store of this process (installed by {@link SchemaStores#install} at a service's
   * start-up): serdes without a store of their own ask it for writer schemas they do not bundle.
   */
  private static volatile SchemaStore processStore;

  private AvroSerde(Class<T> type, SchemaStore fallback) {
    this.type = type;
    TRUSTED_PACKAGES.add(type.getPackageName());
    this.model = SpecificData.getForClass(type);
    this.readerSchema = model.getSchema(type);
    this.fallback = fallback;
    this.encoder = new BinaryMessageEncoder<>(model, readerSchema);
    addWriterSchema(readerSchema);
    for (Schema published : SchemaHistory.versions(new ContractType<>(type))) {
      addWriterSchema(published);
    }
  }

  private DatumReader<T> addWriterSchema(Schema writer) {
    @SuppressWarnings("unchecked")
    DatumReader<T> reader = (DatumReader<T>) model.createDatumReader(writer, readerSchema);
    readers.put(SchemaNormalization.parsingFingerprint64(writer), reader);
    return reader;
  }

  /** A serde that resolves the current and all bundled published versions of {@code type}. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(type, null);
  }

  /** Like {@link #of(Class)}, asking {@code store} for writer schemas it does not bundle. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, SchemaStore store) {
    return new AvroSerde<>(type, store);
  }

  /** Makes {@code store} the one serdes without their own ask (null to forget it). */
  static void useProcessStore(SchemaStore store) {
    processStore = store;
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
   * @throws SerializationException naming the type and why the bytes are not a readable record (no
   *     bytes, bad marker, unknown writer schema, a length declared past the end, truncated or
   *     corrupt body, bytes left over after the record)
   */
  public T decode(byte[] bytes) {
    if (bytes == null) {
      throw new SerializationException(
          "Cannot decode " + type.getSimpleName() + ": null value (no bytes to read)");
    }
    try {
      DatumReader<T> reader = readerFor(bytes);
      // A decoder over the array itself (no copy) knows the bytes left, unlike the stream decoder
      // Avro's BinaryMessageDecoder uses; not reused, so no thread keeps a large record alive.
      BinaryDecoder in =
          DecoderFactory.get()
              .binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, null);
      T record = reader.read(null, in);
      if (!in.isEnd()) {
        throw new IOException(in.remainingBytes() + " bytes left over after the record");
      }
      return record;
    } catch (IOException | RuntimeException | StackOverflowError e) {
      // StackOverflowError: a writer schema from the store nesting deeper than the stack allows.
      throw new SerializationException(
          "Cannot decode " + type.getSimpleName() + " (" + bytes.length + " bytes): " + describe(e),
          e);
    }
  }

  private DatumReader<T> readerFor(byte[] bytes) {
    if (bytes.length < HEADER_BYTES) {
      throw new BadHeaderException(
          "Not enough header bytes: "
              + bytes.length
              + " of "
              + HEADER_BYTES
              + " (single-object encoding marker and schema fingerprint)");
    }
    if (bytes[0] != (byte) 0xC3 || bytes[1] != (byte) 0x01) {
      throw new BadHeaderException(
          String.format(
              "Unrecognized header bytes: 0x%02X 0x%02X (expected 0xC3 0x01)", bytes[0], bytes[1]));
    }
    long fingerprint = 0;
    for (int i = HEADER_BYTES - 1; i >= 2; i--) {
      fingerprint = (fingerprint << 8) | (bytes[i] & 0xFF);
    }
    DatumReader<T> reader = readers.get(fingerprint);
    if (reader != null) {
      return reader;
    }
    SchemaStore store = fallback != null ? fallback : processStore;
    Schema writer = store == null ? null : store.findByFingerprint(fingerprint);
    if (writer == null) {
      throw new MissingSchemaException(
          "Unknown writer schema fingerprint "
              + Long.toHexString(fingerprint)
              + ": neither bundled nor in the schema store");
    }
    return addWriterSchema(writer);
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, record) -> record == null ? null : encode(record);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}

package dev.voicebus.analytics.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Plain JSON of a generated Avro record, as people and JSON tools expect it: field names as in the
 * schema, unions as their value (no Avro type wrappers), enums as strings, and timestamps either as
 * ISO-8601 text or as epoch milliseconds. Walks the schema; no reflection on the classes.
 */
public final class AvroJson {

  /** How timestamp-millis fields are written. */
  public enum Timestamps {
    ISO_8601,
    EPOCH_MILLIS
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Timestamps timestamps;

  public AvroJson(Timestamps timestamps) {
    this.timestamps = timestamps;
  }

  public ObjectNode toJson(IndexedRecord record) {
    return (ObjectNode) value(record.getSchema(), record);
  }

  private JsonNode value(Schema schema, Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    switch (schema.getType()) {
      case UNION:
        int branch = SpecificData.get().resolveUnion(schema, value);
        return value(schema.getTypes().get(branch), value);
      case RECORD:
        IndexedRecord record = (IndexedRecord) value;
        ObjectNode object = NODES.objectNode();
        for (Schema.Field field : schema.getFields()) {
          object.set(field.name(), value(field.schema(), record.get(field.pos())));
        }
        return object;
      case ARRAY:
        ArrayNode array = NODES.arrayNode();
        for (Object item : (List<?>) value) {
          array.add(value(schema.getElementType(), item));
        }
        return array;
      case MAP:
        ObjectNode map = NODES.objectNode();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          map.set(String.valueOf(entry.getKey()), value(schema.getValueType(), entry.getValue()));
        }
        return map;
      case ENUM:
      case STRING:
        return NODES.textNode(value.toString());
      case INT:
        return NODES.numberNode(((Number) value).intValue());
      case LONG:
        return longValue(schema, value);
      case FLOAT:
      case DOUBLE:
        return NODES.numberNode(((Number) value).doubleValue());
      case BOOLEAN:
        return NODES.booleanNode((Boolean) value);
      case BYTES:
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
      default:
        return NODES.nullNode();
    }
  }

  private JsonNode longValue(Schema schema, Object value) {
    if (value instanceof Instant instant) {
      return timestamps == Timestamps.ISO_8601
          ? NODES.textNode(instant.toString())
          : NODES.numberNode(instant.toEpochMilli());
    }
    if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
        && timestamps == Timestamps.ISO_8601) {
      return NODES.textNode(Instant.ofEpochMilli(((Number) value).longValue()).toString());
    }
    return NODES.numberNode(((Number) value).longValue());
  }
}

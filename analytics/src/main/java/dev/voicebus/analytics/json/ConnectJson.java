package dev.voicebus.analytics.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * A record in Kafka Connect's JSON envelope, {@code {"schema": ..., "payload": ...}}, as Connect's
 * own {@code JsonConverter} writes it with {@code schemas.enable=true}: sinks that need a schema
 * (the JDBC sink) can then read {@code calls.json}. The Connect schema is derived from the Avro
 * schema: records become structs, nullable unions optional fields, enums strings, timestamp-millis
 * Connect's {@code Timestamp}.
 */
public final class ConnectJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String TIMESTAMP = "org.apache.kafka.connect.data.Timestamp";

  private final AvroJson payloads = new AvroJson(AvroJson.Timestamps.EPOCH_MILLIS);
  private final Map<Schema, ObjectNode> schemas = new ConcurrentHashMap<>();

  public ObjectNode toJson(IndexedRecord record) {
    ObjectNode envelope = NODES.objectNode();
    envelope.set(
        "schema", schemas.computeIfAbsent(record.getSchema(), s -> connectSchema(s, false)));
    envelope.set("payload", payloads.toJson(record));
    return envelope;
  }

  /** The Connect schema (as JSON) of an Avro schema. */
  static ObjectNode connectSchema(Schema schema, boolean optional) {
    if (schema.getType() == Schema.Type.UNION) {
      Schema nonNull = null;
      boolean nullable = false;
      for (Schema branch : schema.getTypes()) {
        if (branch.getType() == Schema.Type.NULL) {
          nullable = true;
        } else {
          nonNull = branch;
        }
      }
      return connectSchema(nonNull, optional || nullable);
    }
    ObjectNode node = NODES.objectNode();
    switch (schema.getType()) {
      case RECORD:
        node.put("type", "struct");
        ArrayNode fields = node.putArray("fields");
        for (Schema.Field field : schema.getFields()) {
          ObjectNode f = connectSchema(field.schema(), false);
          f.put("field", field.name());
          fields.add(f);
        }
        node.put("name", schema.getFullName());
        break;
      case ARRAY:
        node.put("type", "array");
        node.set("items", connectSchema(schema.getElementType(), false));
        break;
      case MAP:
        node.put("type", "map");
        node.set("keys", NODES.objectNode().put("type", "string").put("optional", false));
        node.set("values", connectSchema(schema.getValueType(), false));
        break;
      case INT:
        node.put("type", "int32");
        break;
      case LONG:
        node.put("type", "int64");
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
          node.put("name", TIMESTAMP);
          node.put("version", 1);
        }
        break;
      case FLOAT:
        node.put("type", "float");
        break;
      case DOUBLE:
        node.put("type", "double");
        break;
      case BOOLEAN:
        node.put("type", "boolean");
        break;
      case BYTES:
        node.put("type", "bytes");
        break;
      default:
        node.put("type", "string");
    }
    node.put("optional", optional);
    return node;
  }
}

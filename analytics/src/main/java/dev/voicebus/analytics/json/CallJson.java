package dev.voicebus.analytics.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.analytics.config.AnalyticsConfig.JsonFormat;
import org.apache.avro.generic.IndexedRecord;

/** Writes records as the JSON text of {@code calls.json}, in the configured format. */
public final class CallJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final JsonFormat format;
  private final AvroJson plain = new AvroJson(AvroJson.Timestamps.ISO_8601);
  private final ConnectJson connect = new ConnectJson();

  public CallJson(JsonFormat format) {
    this.format = format;
  }

  public String write(IndexedRecord record) {
    ObjectNode node = format == JsonFormat.CONNECT ? connect.toJson(record) : plain.toJson(record);
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + record.getSchema().getName(), e);
    }
  }
}

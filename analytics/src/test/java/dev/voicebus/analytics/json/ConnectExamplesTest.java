package dev.voicebus.analytics.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.analytics.TestAvro;
import dev.voicebus.analytics.config.AnalyticsConfig.JsonFormat;
import dev.voicebus.analytics.topology.CallAssemblerProcessor;
import dev.voicebus.schemas.SampleRecords;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.TopicSettings;
import dev.voicebus.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Flatten;
import org.apache.kafka.connect.transforms.ReplaceField;
import org.junit.jupiter.api.Test;

/**
 * The Kafka Connect examples under deploy/connect read the right topic, keep final documents by the
 * header the service sets, and (JDBC) select only fields that the connect format's schema has after
 * flattening. They are not run against real sinks here.
 */
class ConnectExamplesTest {

  static {
    TestAvro.trust();
  }

  private static final Path DIR = Path.of("..", "deploy", "connect");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode config(String file) throws Exception {
    return JSON.readTree(Files.readString(DIR.resolve(file))).path("config");
  }

  @Test
  void everyExampleReadsCallsJsonWithTheDefaultPrefix() throws Exception {
    String topic = new TopicCatalogue(TopicSettings.DEFAULTS).name(Topics.CALLS_JSON);
    for (String file :
        new String[] {
          "jdbc-sink-calls.json", "s3-sink-calls.json", "elasticsearch-sink-calls.json"
        }) {
      assertThat(config(file).path("topics").asText()).as(file).isEqualTo(topic);
    }
  }

  @Test
  void finalDocumentsAreSelectedByTheHeaderTheServiceSets() throws Exception {
    for (String file : new String[] {"jdbc-sink-calls.json", "s3-sink-calls.json"}) {
      assertThat(config(file).path("predicates.notFinal.name").asText())
          .as(file)
          .isEqualTo(CallAssemblerProcessor.FINAL_HEADER);
    }
  }

  @Test
  void theJdbcExampleSelectsFieldsTheFlattenedConnectSchemaHas() throws Exception {
    String json = new CallJson(JsonFormat.CONNECT).write(SampleRecords.callRecord("call-x"));
    var converter = new JsonConverter();
    converter.configure(Map.of("schemas.enable", "true"), false);
    Struct value =
        (Struct) converter.toConnectData("t", json.getBytes(StandardCharsets.UTF_8)).value();
    JsonNode jdbc = config("jdbc-sink-calls.json");
    var lists = new ReplaceField.Value<SinkRecord>();
    lists.configure(Map.of("exclude", jdbc.path("transforms.lists.exclude").asText()));
    var flatten = new Flatten.Value<SinkRecord>();
    flatten.configure(Map.of("delimiter", "_"));
    var record =
        flatten.apply(
            lists.apply(new SinkRecord("t", 0, null, "call-x", value.schema(), value, 0)));
    Struct flat = (Struct) record.value();
    for (String field :
        config("jdbc-sink-calls.json").path("fields.whitelist").asText().split(",")) {
      assertThat(flat.schema().field(field)).as(field).isNotNull();
      assertThat(flat.schema().field(field).schema().type().isPrimitive()).as(field).isTrue();
    }
    assertThat(Arrays.asList(config("jdbc-sink-calls.json").path("pk.fields").asText()))
        .containsExactly("callId");
  }
}

package dev.voicebus.analytics.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.analytics.TestAvro;
import dev.voicebus.analytics.config.AnalyticsConfig.JsonFormat;
import dev.voicebus.avro.CallRecord;
import dev.voicebus.schemas.SampleRecords;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

class ConnectJsonTest {

  static {
    TestAvro.trust();
  }

  private final CallRecord doc = SampleRecords.callRecord("call-j");

  @Test
  void kafkaConnectsJsonConverterReadsTheConnectFormatAsAStruct() {
    String json = new CallJson(JsonFormat.CONNECT).write(doc);
    var converter = new JsonConverter();
    converter.configure(Map.of("schemas.enable", "true"), false);

    var data = converter.toConnectData("calls.json", json.getBytes(StandardCharsets.UTF_8));

    Struct struct = (Struct) data.value();
    assertThat(struct.getString("callId")).isEqualTo("call-j");
    assertThat(struct.getString("tenantId")).isEqualTo("acme");
    assertThat(struct.getString("status")).isEqualTo("ENDED");
    assertThat(struct.get("startedAt")).isEqualTo(Date.from(SampleRecords.AT));
    assertThat(struct.getStruct("metrics").getInt64("callerTalkMs")).isEqualTo(900L);
    assertThat(struct.getArray("turns")).hasSize(1);
    assertThat(((List<?>) struct.getArray("toolCalls"))).hasSize(1);
  }

  @Test
  void thePlainFormatHasUnwrappedUnionsAndIsoTimes() throws Exception {
    var node = new ObjectMapper().readTree(new CallJson(JsonFormat.PLAIN).write(doc));

    assertThat(node.path("tenantId").asText()).isEqualTo("acme");
    assertThat(node.path("startedAt").asText()).isEqualTo(SampleRecords.AT.toString());
    assertThat(node.path("endReason").asText()).isEqualTo("CALLER_HANGUP");
    assertThat(node.path("turns").get(0).path("speaker").asText()).isEqualTo("CALLER");
    assertThat(node.path("recordingUri").isNull()).isTrue();
  }
}

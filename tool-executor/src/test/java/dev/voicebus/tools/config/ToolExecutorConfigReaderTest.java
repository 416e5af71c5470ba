package dev.voicebus.tools.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.schemas.config.ConfigSource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolExecutorConfigReaderTest {

  @Test
  void defaultsAreSensible() {
    var config =
        ToolExecutorConfigReader.read(ConfigSource.of(Map.of("tool-executor.instance-id", "a-1")));
    assertThat(config.groupId()).isEqualTo("voicebus-tool-executor");
    assertThat(config.transactionalId()).isEqualTo("voicebus-tool-executor-a-1");
    assertThat(config.threads()).isEqualTo(16);
    assertThat(config.concurrencyOf("anything")).isEqualTo(8);
    assertThat(config.builtinsEnabled()).isTrue();
    assertThat(config.webhooks()).isEmpty();
    assertThat(config.mcpServers()).isEmpty();
    assertThat(config.maxResultBytes()).isEqualTo(256 * 1024);
  }

  @Test
  void aResultLimitOutsideWhatFitsAKafkaRecordFailsNamingKeyValueAndRange() {
    assertThatThrownBy(
            () ->
                ToolExecutorConfigReader.read(
                    ConfigSource.of(
                        Map.of(
                            "tool-executor.instance-id", "a-1",
                            "tool-executor.max-result-bytes", "2000000"))))
        .hasMessageContaining("tool-executor.max-result-bytes")
        .hasMessageContaining("2000000")
        .hasMessageContaining("1024 to 921600");
    var config =
        ToolExecutorConfigReader.read(
            ConfigSource.of(
                Map.of(
                    "tool-executor.instance-id", "a-1", "tool-executor.max-result-bytes", "4096")));
    assertThat(config.maxResultBytes()).isEqualTo(4096);
  }

  @Test
  void readsWebhooksWithInlineOrFileSchemas(@TempDir Path dir) throws Exception {
    Path schema = dir.resolve("refund.json");
    Files.writeString(
        schema, "{\"type\":\"object\",\"properties\":{\"amount\":{\"type\":\"number\"}}}");
    var config =
        ToolExecutorConfigReader.read(
            ConfigSource.of(
                Map.of(
                    "tool-executor.instance-id", "a-1",
                    "tools.webhook.refund.url", "https://erp.internal/refund",
                    "tools.webhook.refund.secret", "s3cr3t",
                    "tools.webhook.refund.parameters", schema.toString(),
                    "tools.webhook.refund.timeout", "1500ms",
                    "tools.webhook.refund.idempotent", "true",
                    "tools.concurrency.refund", "2")));
    WebhookToolConfig refund = config.webhooks().get(0);
    assertThat(refund.name()).isEqualTo("refund");
    assertThat(refund.url()).isEqualTo(URI.create("https://erp.internal/refund"));
    assertThat(refund.parameters().get("properties").has("amount")).isTrue();
    assertThat(refund.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(refund.idempotent()).isTrue();
    assertThat(refund.toString()).doesNotContain("s3cr3t");
    assertThat(config.concurrencyOf("refund")).isEqualTo(2);
  }

  @Test
  void aWebhookWithoutSecretFailsNamingTheKey() {
    assertThatThrownBy(
            () ->
                ToolExecutorConfigReader.read(
                    ConfigSource.of(
                        Map.of(
                            "tool-executor.instance-id", "a-1",
                            "tools.webhook.refund.url", "https://erp.internal/refund"))))
        .hasMessageContaining("tools.webhook.refund.secret");
  }

  @Test
  void readsMcpServers() {
    var config =
        ToolExecutorConfigReader.read(
            ConfigSource.of(
                Map.of(
                    "tool-executor.instance-id", "a-1",
                    "tools.mcp.crm.url", "http://127.0.0.1:3001/sse",
                    "tools.mcp.crm.transport", "sse")));
    assertThat(config.mcpServers()).hasSize(1);
    assertThat(config.mcpServers().get(0).transport()).isEqualTo(McpServerConfig.Transport.SSE);
  }

  @Test
  void rejectsAnUnknownTransportAndABadInstanceId() {
    assertThatThrownBy(
            () ->
                ToolExecutorConfigReader.read(
                    ConfigSource.of(
                        Map.of(
                            "tool-executor.instance-id", "a-1",
                            "tools.mcp.crm.url", "http://127.0.0.1:3001/mcp",
                            "tools.mcp.crm.transport", "websocket"))))
        .hasMessageContaining("tools.mcp.crm.transport='websocket'");
    assertThatThrownBy(
            () ->
                ToolExecutorConfigReader.read(
                    ConfigSource.of(Map.of("tool-executor.instance-id", "has space"))))
        .hasMessageContaining("tool-executor.instance-id");
  }
}

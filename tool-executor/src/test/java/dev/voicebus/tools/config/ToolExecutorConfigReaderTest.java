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

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

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
                    "tools.webhook.refund.secret", SECRET,
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
    assertThat(refund.toString()).doesNotContain(SECRET.substring(6));
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

  @Test
  void readsMcpAuthPrefixAndTenantWithSecretsFromFilesAndNeverShowsThem(@TempDir Path dir)
      throws Exception {
    Path token = dir.resolve("crm-token");
    Files.writeString(token, "tok-very-secret\n");
    var config =
        ToolExecutorConfigReader.read(
            ConfigSource.of(
                Map.of("tool-executor.instance-id", "a-1"),
                Map.of(
                    "VOICEBUS_TOOLS_MCP_CRM_URL", "https://crm.internal/mcp",
                    "VOICEBUS_TOOLS_MCP_CRM_BEARER_TOKEN_FILE", token.toString(),
                    "VOICEBUS_TOOLS_MCP_CRM_HEADERS", "{\"X-Org\": \"hdr-secret\"}",
                    "VOICEBUS_TOOLS_MCP_CRM_TOOL_PREFIX", "crm_",
                    "VOICEBUS_TOOLS_MCP_CRM_TENANT", "acme")));
    McpServerConfig crm = config.mcpServers().get(0);
    assertThat(crm.server()).isEqualTo("crm");
    assertThat(crm.requestHeaders())
        .containsEntry("Authorization", "Bearer tok-very-secret")
        .containsEntry("X-Org", "hdr-secret");
    assertThat(crm.toolPrefix()).isEqualTo("crm_");
    assertThat(crm.tenantId()).contains("acme");
    assertThat(crm.toString()).doesNotContain("tok-very-secret").doesNotContain("hdr-secret");
    assertThat(config.mcp()).isEqualTo(ToolExecutorConfig.McpPolicy.DEFAULT);
  }

  @Test
  void badMcpHeadersFailWithoutQuotingTheValue() {
    assertThatThrownBy(
            () ->
                ToolExecutorConfigReader.read(
                    ConfigSource.of(
                        Map.of(
                            "tool-executor.instance-id", "a-1",
                            "tools.mcp.crm.url", "http://127.0.0.1:3001/mcp",
                            "tools.mcp.crm.headers", "X-Key: not-json-secret"))))
        .hasMessageContaining("tools.mcp.crm.headers is invalid")
        .hasMessageNotContaining("not-json-secret");
    assertThatThrownBy(
            () ->
                ToolExecutorConfigReader.read(
                    ConfigSource.of(
                        Map.of(
                            "tool-executor.instance-id", "a-1",
                            "tools.mcp.crm.url", "http://127.0.0.1:3001/mcp",
                            "tools.mcp.crm.bearer-token", "t",
                            "tools.mcp.crm.headers", "{\"Authorization\": \"Basic x\"}"))))
        .hasMessageContaining("not both");
  }

  @Test
  void aRotatingWebhookHasTwoSecretsAndATenant() {
    String other = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
    var config =
        ToolExecutorConfigReader.read(
            ConfigSource.of(
                Map.of(
                    "tool-executor.instance-id", "a-1",
                    "tools.webhook.refund.url", "https://erp.internal/refund",
                    "tools.webhook.refund.secret", SECRET + " " + other,
                    "tools.webhook.refund.tenant", "acme")));
    WebhookToolConfig refund = config.webhooks().get(0);
    assertThat(refund.secrets()).containsExactly(SECRET, other);
    assertThat(refund.tenantId()).contains("acme");
  }

  @Test
  void mcpRefreshAndReconnectAreSettings() {
    var config =
        ToolExecutorConfigReader.read(
            ConfigSource.of(
                Map.of(
                    "tool-executor.instance-id", "a-1",
                    "tool-executor.mcp.refresh-interval", "30s",
                    "tool-executor.mcp.reconnect.initial", "200ms",
                    "tool-executor.mcp.reconnect.max", "5s")));
    assertThat(config.mcp().refreshInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.mcp().reconnectInitial()).isEqualTo(Duration.ofMillis(200));
    assertThat(config.mcp().reconnectMax()).isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(
            () ->
                ToolExecutorConfigReader.read(
                    ConfigSource.of(
                        Map.of(
                            "tool-executor.instance-id", "a-1",
                            "tool-executor.mcp.reconnect.initial", "10s",
                            "tool-executor.mcp.reconnect.max", "5s"))))
        .hasMessageContaining("tool-executor.mcp.reconnect.max");
  }
}

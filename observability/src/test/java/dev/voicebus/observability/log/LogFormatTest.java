package dev.voicebus.observability.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.log.CallMdc;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogFormatTest {

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Logger logger = context.getLogger("dev.voicebus.test.LogFormatTest");
  private OutputStreamAppender<ILoggingEvent> appender;

  @BeforeEach
  void textAppender() {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%level %X{callId} %msg%n");
    encoder.start();
    appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setName("test-out");
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    logger.addAppender(appender);
    logger.setAdditive(false);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(appender);
    logger.setAdditive(true);
    appender.stop();
  }

  private static LogFormat formatFor(Map<String, String> env) {
    return LogFormat.from(ConfigSource.of(Map.of(), env));
  }

  @Test
  void jsonLinesCarryTheCallsIdsAsTopLevelFields() throws Exception {
    LogFormat.JSON.apply(context);
    try (CallMdc ignored = CallMdc.open("call-42", "acme", "sess_7")) {
      logger.info("Call started with profile {}", "support");
    }
    String line = out.toString(StandardCharsets.UTF_8).strip();
    assertThat(line).doesNotContain("\n");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.path("message").asText()).isEqualTo("Call started with profile support");
    assertThat(json.path("level").asText()).isEqualTo("INFO");
    assertThat(json.path("logger_name").asText()).isEqualTo("dev.voicebus.test.LogFormatTest");
    assertThat(json.path("callId").asText()).isEqualTo("call-42");
    assertThat(json.path("tenantId").asText()).isEqualTo("acme");
    assertThat(json.path("sessionId").asText()).isEqualTo("sess_7");
    assertThat(json.has("@timestamp")).isTrue();
  }

  @Test
  void textIsTheDefaultAndLeavesThePatternAlone() {
    LogFormat format = formatFor(Map.of());
    assertThat(format).isEqualTo(LogFormat.TEXT);
    format.apply(context);
    try (CallMdc ignored = CallMdc.open("call-43", null)) {
      logger.info("hello");
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("INFO call-43 hello\n");
  }

  @Test
  void theEnvironmentVariableSelectsJsonInAnyCase() {
    assertThat(formatFor(Map.of("VOICEBUS_LOG_FORMAT", "json"))).isEqualTo(LogFormat.JSON);
    assertThat(formatFor(Map.of("VOICEBUS_LOG_FORMAT", "JSON"))).isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.from(ConfigSource.of(Map.of("log.format", "text"))))
        .isEqualTo(LogFormat.TEXT);
  }

  @Test
  void anUnknownFormatFailsNamingTheSettingAndTheValidValues() {
    assertThatThrownBy(() -> formatFor(Map.of("VOICEBUS_LOG_FORMAT", "xml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("log.format")
        .hasMessageContaining("VOICEBUS_LOG_FORMAT")
        .hasMessageContaining("'xml'")
        .hasMessageContaining("text or json");
  }
}

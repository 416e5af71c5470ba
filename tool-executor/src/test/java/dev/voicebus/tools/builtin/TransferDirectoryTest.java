package dev.voicebus.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.tools.api.CallAction;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.config.ToolExecutorConfigReader;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransferDirectoryTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TransferDirectory DIRECTORY =
      TransferDirectory.parse("billing=+15551230000, Sales = sip:sales@pbx.example.com");

  private static ToolInvocation invocation(String arguments) throws Exception {
    return new ToolInvocation(
        "call-1", "tc-1", Optional.empty(), JSON.readTree(arguments), Instant.now().plusSeconds(5));
  }

  @Test
  void transfersToANamedDestinationWithTheAnnouncementToSayFirst() throws Exception {
    var tool = new TransferCallTool(DIRECTORY);

    var outcome =
        (ToolOutcome.Ok)
            tool.execute(
                invocation(
                    "{\"destination\":\"Billing\",\"announcement\":\"Connecting you to billing now.\"}"));

    assertThat(outcome.action())
        .contains(CallAction.transfer("+15551230000", "Connecting you to billing now."));
    assertThat(outcome.output().get("target").asText()).isEqualTo("+15551230000");
    assertThat(((ToolOutcome.Ok) tool.execute(invocation("{\"destination\":\"sales\"}"))).action())
        .contains(CallAction.transfer("sip:sales@pbx.example.com", null));
  }

  @Test
  void anUnknownNameOrANumberOutsideTheDirectoryIsAnErrorTheAgentCanSay() throws Exception {
    var tool = new TransferCallTool(DIRECTORY);

    var unknown = (ToolOutcome.Error) tool.execute(invocation("{\"destination\":\"legal\"}"));
    var number = (ToolOutcome.Error) tool.execute(invocation("{\"destination\":\"+19005550000\"}"));

    assertThat(unknown.code()).isEqualTo("unknown_destination");
    assertThat(unknown.message())
        .isEqualTo("I can't transfer to legal. I can transfer you to billing, sales.");
    assertThat(number.code()).isEqualTo("unknown_destination");
    assertThat(tool.execute(invocation("{\"destination\":\"+15551230000\"}")))
        .isInstanceOf(ToolOutcome.Ok.class);
  }

  @Test
  void theDescriptionAndSchemaNameTheDestinations() {
    var tool = new TransferCallTool(DIRECTORY);

    assertThat(tool.description())
        .isEqualTo("Transfers the caller to a person or department: billing, sales.");
    assertThat(tool.parametersSchema().at("/properties/destination/description").asText())
        .isEqualTo("Where to transfer: one of billing, sales");
    assertThat(new TransferCallTool().description()).contains("phone number or SIP address");
  }

  @Test
  void isReadFromTheSettingAndFailsNamingTheBadEntry() {
    var config =
        ToolExecutorConfigReader.read(
            ConfigSource.of(
                Map.of("tool-executor.transfer.directory", "# desks\nbilling=+15551230000\n")));
    assertThat(config.transferDirectory().target("billing")).contains("+15551230000");
    assertThat(
            ToolExecutorConfigReader.read(ConfigSource.of(Map.of())).transferDirectory().isEmpty())
        .isTrue();

    assertThatThrownBy(() -> TransferDirectory.parse("billing=5551230000"))
        .hasMessageStartingWith(
            "tool-executor.transfer.directory is invalid at 'billing=5551230000'")
        .hasMessageContaining("neither an E.164 number");
    assertThatThrownBy(() -> TransferDirectory.parse("billing"))
        .hasMessageContaining("NAME=TARGET");
    assertThatThrownBy(() -> TransferDirectory.parse("a=+15551230000,A=+15551230001"))
        .hasMessageContaining("listed twice");
  }
}

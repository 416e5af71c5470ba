package dev.voicebus.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.tools.api.CallAction;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BuiltinToolsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ToolInvocation invocation(String arguments) throws Exception {
    return new ToolInvocation(
        "call-1", "tc-1", Optional.empty(), JSON.readTree(arguments), Instant.now().plusSeconds(5));
  }

  @Test
  void lookupOrderFindsTheBundledDemoOrder() throws Exception {
    var outcome =
        new LookupOrderTool(OrderBook.bundled()).execute(invocation("{\"order_id\":\"a 1001\"}"));
    var ok = (ToolOutcome.Ok) outcome;
    assertThat(ok.output().get("status").asText()).isEqualTo("shipped");
    assertThat(ok.output().get("eta").asText()).isNotBlank();
  }

  @Test
  void anUnknownOrderIsASpeakableNotFoundError() throws Exception {
    var outcome =
        new LookupOrderTool(OrderBook.bundled()).execute(invocation("{\"order_id\":\"Z9\"}"));
    var error = (ToolOutcome.Error) outcome;
    assertThat(error.code()).isEqualTo("not_found");
    assertThat(error.message()).contains("Z9");
  }

  @Test
  void currentTimeUsesTheRequestedZone() throws Exception {
    var clock = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
    var tool = new GetCurrentTimeTool(clock);

    var berlin = (ToolOutcome.Ok) tool.execute(invocation("{\"timezone\":\"Europe/Berlin\"}"));
    assertThat(berlin.output().get("iso").asText()).isEqualTo("2026-11-24T13:00:00+01:00");
    var utc = (ToolOutcome.Ok) tool.execute(invocation("{}"));
    assertThat(utc.output().get("timezone").asText()).isEqualTo("UTC");
    var bad = (ToolOutcome.Error) tool.execute(invocation("{\"timezone\":\"Mars/Olympus\"}"));
    assertThat(bad.code()).isEqualTo("invalid_timezone");
  }

  @Test
  void endAndTransferAnswerWithATypedCallAction() throws Exception {
    var hangup =
        (ToolOutcome.Ok) new EndCallTool().execute(invocation("{\"reason\":\"resolved\"}"));
    assertThat(hangup.action()).contains(CallAction.hangup("resolved"));
    var transfer =
        (ToolOutcome.Ok)
            new TransferCallTool().execute(invocation("{\"destination\":\"+15551234567\"}"));
    assertThat(transfer.action()).contains(CallAction.transfer("+15551234567", null));
    assertThat(transfer.output().get("transferring_to").asText()).isEqualTo("+15551234567");
  }

  @Test
  void transferToSomethingThatIsNotANumberOrSipUriIsAnErrorWithoutAction() throws Exception {
    var outcome = new TransferCallTool().execute(invocation("{\"destination\":\"billing\"}"));
    assertThat(outcome).isInstanceOf(ToolOutcome.Error.class);
    assertThat(((ToolOutcome.Error) outcome).code()).isEqualTo("invalid_destination");
  }
}

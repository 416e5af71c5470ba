package dev.voicebus.tools.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToolApiTest {

  @Test
  void parsesObjectSchemasAndRejectsOthers() {
    assertThat(ToolSchemas.parse("{\"type\":\"object\"}").get("type").asText()).isEqualTo("object");
    assertThat(ToolSchemas.noArguments().get("properties").size()).isZero();
    assertThatThrownBy(() -> ToolSchemas.parse("[1]")).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> ToolSchemas.parse("{oops")).hasMessageContaining("Invalid JSON");
  }

  @Test
  void outcomesCarryOutputOrASpeakableError() {
    var ok = (ToolOutcome.Ok) ToolOutcome.ok("done");
    assertThat(ok.output().get("result").asText()).isEqualTo("done");
    var error = (ToolOutcome.Error) ToolOutcome.retryableError("http_503", "The CRM is down.");
    assertThat(error.retryable()).isTrue();
    assertThat(((ToolOutcome.Error) ToolOutcome.error("x", "y")).retryable()).isFalse();
  }

  @Test
  void transferTargetsAreE164NumbersOrSipUris() {
    assertThat(CallAction.Transfer.isValidTarget("+15551234567")).isTrue();
    assertThat(CallAction.Transfer.isValidTarget("sip:billing@pbx.example.com")).isTrue();
    assertThat(CallAction.Transfer.isValidTarget("sips:agent@10.0.0.5:5061;transport=tls"))
        .isTrue();
    assertThat(CallAction.Transfer.isValidTarget("billing")).isFalse();
    assertThat(CallAction.Transfer.isValidTarget("5551234567")).isFalse();
    assertThat(CallAction.Transfer.isValidTarget("+0123")).isFalse();
    assertThat(CallAction.Transfer.isValidTarget("sip:pbx.example.com")).isFalse();
    assertThatThrownBy(() -> CallAction.transfer("billing", null))
        .hasMessageContaining("E.164")
        .hasMessageContaining("'billing'");
  }

  @Test
  void onlySuccessfulOutcomesCarryACallAction() {
    var ok =
        (ToolOutcome.Ok)
            ToolOutcome.ok(JsonNodeFactory.instance.objectNode(), CallAction.hangup("done"));
    assertThat(ok.action()).contains(new CallAction.Hangup("done"));
    assertThat(((ToolOutcome.Ok) ToolOutcome.ok("x")).action()).isEmpty();
  }

  @Test
  void invocationKnowsTheTimeLeft() {
    var invocation =
        new ToolInvocation(
            "call-1",
            "tc-1",
            Optional.of("tenant"),
            JsonNodeFactory.instance.objectNode(),
            Instant.now().minusSeconds(1));
    assertThat(invocation.remaining().isNegative()).isTrue();
    assertThatThrownBy(
            () ->
                new ToolInvocation(
                    "c",
                    null,
                    Optional.empty(),
                    JsonNodeFactory.instance.objectNode(),
                    Instant.now()))
        .hasMessageContaining("toolCallId");
  }
}

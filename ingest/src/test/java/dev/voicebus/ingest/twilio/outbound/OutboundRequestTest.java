package dev.voicebus.ingest.twilio.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.ingest.twilio.rest.TwilioApiException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutboundRequestTest {

  private static OutboundRequest parse(String json) {
    return OutboundRequest.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsEveryField() {
    var request =
        parse(
            "{\"to\":\"+15551230000\",\"from\":\"+15559870000\",\"agentProfile\":\"sales\","
                + "\"metadata\":{\"campaign\":\"renewals\"},\"machineDetection\":\"DetectMessageEnd\"}");

    assertThat(request)
        .isEqualTo(
            new OutboundRequest(
                "+15551230000",
                "+15559870000",
                Optional.of("sales"),
                Map.of("campaign", "renewals"),
                Optional.of("DetectMessageEnd")));
    assertThat(
            parse("{\"to\":\"sip:bob@pbx.example.com\",\"from\":\"+15559870000\"}").agentProfile())
        .isEmpty();
  }

  @Test
  void saysWhatIsWrongWithABadRequest() {
    assertThatThrownBy(() -> parse("nope")).hasMessage("the body is not JSON");
    assertThatThrownBy(() -> parse("{\"from\":\"+15559870000\"}")).hasMessage("to is required");
    assertThatThrownBy(() -> parse("{\"to\":\"5551230000\",\"from\":\"+15559870000\"}"))
        .hasMessageContaining("to '5551230000' is neither an E.164 number");
    assertThatThrownBy(() -> parse("{\"to\":\"+15551230000\",\"from\":\"alice\"}"))
        .hasMessageContaining("from 'alice' is not an E.164 number");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"to\":\"+15551230000\",\"from\":\"+15559870000\",\"machineDetection\":\"Always\"}"))
        .hasMessageContaining("use Enable or DetectMessageEnd");
    assertThatThrownBy(
            () ->
                parse("{\"to\":\"+15551230000\",\"from\":\"+15559870000\",\"metadata\":{\"n\":1}}"))
        .hasMessageContaining("metadata 'n' must be a string");
    assertThatThrownBy(
            () -> parse("{\"to\":\"+15551230000\",\"from\":\"+15559870000\",\"tenantId\":\"x\"}"))
        .hasMessageContaining("unknown field 'tenantId'");
  }

  @Test
  void mapsTwiliosAnswerToAStatusTheClientCanActOn() {
    var refused =
        new TwilioApiException(400, 21211, "Twilio answered HTTP 400 (code 21211): bad To");
    assertThat(OutboundCallHandler.status(refused))
        .isEqualTo(HttpResponseStatus.UNPROCESSABLE_ENTITY);
    assertThat(OutboundCallHandler.reason(refused)).startsWith("Twilio refused the call: ");
    var credentials = new TwilioApiException(401, 20003, "Twilio answered HTTP 401 (code 20003)");
    assertThat(OutboundCallHandler.status(credentials)).isEqualTo(HttpResponseStatus.BAD_GATEWAY);
    assertThat(OutboundCallHandler.reason(credentials)).contains("credentials");
    var down = new TwilioApiException(0, 0, "Twilio could not be reached (ConnectException)");
    assertThat(OutboundCallHandler.status(down)).isEqualTo(HttpResponseStatus.BAD_GATEWAY);
    assertThat(OutboundCallHandler.status(new TwilioApiException(429, 20429, "slow down")))
        .isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
  }
}

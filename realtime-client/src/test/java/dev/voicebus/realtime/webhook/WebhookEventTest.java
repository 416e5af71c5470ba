package dev.voicebus.realtime.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The events OpenAI posts, read and written. */
class WebhookEventTest {

  // The example of OpenAI's "Realtime API with SIP" guide.
  private static final String GUIDE_EXAMPLE =
      """
      {
        "object": "event",
        "id": "evt_685343a1381c819085d44c354e1b330e",
        "type": "realtime.call.incoming",
        "created_at": 1750287018,
        "data": {
          "call_id": "some_unique_id",
          "sip_headers": [
            { "name": "From", "value": "sip:+142555512112@sip.example.com" },
            { "name": "To", "value": "sip:+18005551212@sip.example.com" },
            { "name": "Call-ID", "value": "03782086-4ce9-44bf-8b0d-4e303d2cc590"}
          ]
        }
      }
      """;

  @Test
  void readsTheGuidesIncomingCall() {
    WebhookEvent event = WebhookEvent.parse(GUIDE_EXAMPLE.getBytes(StandardCharsets.UTF_8));

    assertThat(event).isInstanceOf(WebhookEvent.CallIncoming.class);
    WebhookEvent.CallIncoming call = (WebhookEvent.CallIncoming) event;
    assertThat(call.id()).isEqualTo("evt_685343a1381c819085d44c354e1b330e");
    assertThat(call.createdAt()).isEqualTo(1750287018L);
    assertThat(call.callId()).isEqualTo("some_unique_id");
    assertThat(call.header("from")).hasValue("sip:+142555512112@sip.example.com");
    assertThat(call.header("TO")).hasValue("sip:+18005551212@sip.example.com");
    assertThat(call.header("Call-ID")).hasValue("03782086-4ce9-44bf-8b0d-4e303d2cc590");
    assertThat(call.header("Diversion")).isEmpty();
  }

  @Test
  void otherEventTypesAreKeptAsOther() {
    WebhookEvent event =
        WebhookEvent.parse(
            ("{\"object\":\"event\",\"id\":\"evt_1\",\"type\":\"response.completed\","
                    + "\"created_at\":1,\"data\":{\"id\":\"resp_1\"}}")
                .getBytes(StandardCharsets.UTF_8));

    assertThat(event).isEqualTo(new WebhookEvent.Other("evt_1", "response.completed", 1));
  }

  @Test
  void refusesBodiesThatAreNotEvents() {
    assertThatThrownBy(() -> WebhookEvent.parse("not json".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> WebhookEvent.parse("[]".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("object");
    assertThatThrownBy(
            () ->
                WebhookEvent.parse(
                    "{\"id\":\"evt_1\",\"type\":\"realtime.call.incoming\",\"data\":{}}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("data.call_id");
  }

  @Test
  void writesAnIncomingCallThatReadsBackTheSame() {
    var call =
        new WebhookEvent.CallIncoming(
            "evt_1",
            1750287018,
            "rtc_1",
            List.of(
                new WebhookEvent.SipHeader("From", "sip:+15550100001@sip.example.com"),
                new WebhookEvent.SipHeader("To", "sip:+15550100000@sip.example.com")));

    String json = call.toJson();

    assertThat(json).startsWith("{\"object\":\"event\",\"id\":\"evt_1\"");
    assertThat(WebhookEvent.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(call);
  }
}

package dev.voicebus.telephony.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwimlTest {

  @Test
  void connectsTheCallToTheStreamWithItsParametersInOrder() {
    var parameters = new LinkedHashMap<String, String>();
    parameters.put("agentProfile", "support");
    parameters.put("tenantId", "acme");

    assertThat(Twiml.connectStream("wss://voice.example.com/twilio/media?token=abc", parameters))
        .isEqualTo(
            "<Response><Connect><Stream url=\"wss://voice.example.com/twilio/media?token=abc\">"
                + "<Parameter name=\"agentProfile\" value=\"support\"/>"
                + "<Parameter name=\"tenantId\" value=\"acme\"/>"
                + "</Stream></Connect></Response>");
  }

  @Test
  void escapesEveryValueItWrites() {
    String xml =
        Twiml.connectStream(
            "wss://h/twilio/media?token=a&b=\"c\"", Map.of("note", "<Hangup/> & 'quoted'"));

    assertThat(xml)
        .contains("url=\"wss://h/twilio/media?token=a&amp;b=&quot;c&quot;\"")
        .contains("value=\"&lt;Hangup/&gt; &amp; &apos;quoted&apos;\"")
        .doesNotContain("<Hangup/>");
    assertThat(Twiml.sayAndHangup("Fish & <chips>\u0007"))
        .isEqualTo("<Response><Say>Fish &amp; &lt;chips&gt;</Say><Hangup/></Response>");
  }

  @Test
  void dialsANumberOrASipUri() {
    assertThat(Twiml.dial("+15551230000"))
        .isEqualTo("<Response><Dial>+15551230000</Dial></Response>");
    assertThat(Twiml.dial("sip:sales@pbx.example.com;transport=tls?x=1&y=2"))
        .isEqualTo(
            "<Response><Dial><Sip>sip:sales@pbx.example.com;transport=tls?x=1&amp;y=2</Sip>"
                + "</Dial></Response>");
    assertThat(Twiml.dial("sips:agent@pbx.example.com:5061"))
        .isEqualTo("<Response><Dial><Sip>sips:agent@pbx.example.com:5061</Sip></Dial></Response>");
  }

  @Test
  void refusesToDialAnythingElseNamingIt() {
    for (String bad :
        new String[] {"billing", "5551230000", "+0123", "tel:+15551230000", "sip:nohost"}) {
      assertThat(Twiml.isDialTarget(bad)).as(bad).isFalse();
      assertThatThrownBy(() -> Twiml.dial(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'");
    }
    assertThatThrownBy(() -> Twiml.dial("+1555</Dial><Hangup/>"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

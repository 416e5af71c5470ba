package dev.voicebus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.realtime.sandbox.sip.SipCallView;
import dev.voicebus.realtime.webhook.WebhookSecret;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code voicebus sip-call} against a real sandbox whose webhooks go to a local endpoint. */
class SipCallCommandTest {

  private record Outcome(int exit, String out, String err) {}

  private static Outcome run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Outcome(
          VoicebusCli.run(args),
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  @Test
  void placesACallThroughTheSandboxAndPrintsItsId() throws Exception {
    HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/openai/webhook",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    webhook.start();
    try (RealtimeSandbox sandbox = RealtimeSandbox.start(SandboxConfig.defaults())) {
      URI target =
          URI.create("http://127.0.0.1:" + webhook.getAddress().getPort() + "/openai/webhook");
      sandbox.sip().deliverWebhooksTo(target, WebhookSecret.generate());

      Outcome outcome =
          run(
              "sip-call",
              "--url",
              sandbox.httpBaseUri().toString(),
              "--to",
              "+15550100000",
              "--from",
              "+15550100009",
              "--scenario",
              "pin");

      assertThat(outcome.exit()).isZero();
      Matcher id = Pattern.compile("SIP call (rtc_\\w+) placed").matcher(outcome.out());
      assertThat(id.find()).as(outcome.out()).isTrue();
      SipCallView call = sandbox.sip().call(id.group(1)).orElseThrow();
      assertThat(call.from()).isEqualTo("+15550100009");
      assertThat(call.to()).isEqualTo("+15550100000");
      assertThat(call.scenario()).isEqualTo("pin");
      assertThat(outcome.out()).contains(target.toString());
    } finally {
      webhook.stop(0);
    }
  }

  @Test
  void aSandboxWithoutAWebhookOrAnUnknownScenarioIsOneLineAndExitOne() {
    try (RealtimeSandbox sandbox = RealtimeSandbox.start(SandboxConfig.defaults())) {
      Outcome noWebhook =
          run("sip-call", "--url", sandbox.httpBaseUri().toString(), "--to", "+15550100000");

      assertThat(noWebhook.exit()).isEqualTo(1);
      assertThat(noWebhook.err().strip())
          .startsWith("voicebus: the sandbox did not place the call: HTTP 409")
          .contains("SANDBOX_SIP_WEBHOOK_URL")
          .doesNotContain("\n");
    }
    assertThat(run("sip-call", "--url", "ftp://x", "--to", "+1555").exit()).isEqualTo(1);
    assertThat(run("sip-call").exit()).isEqualTo(2);
  }
}

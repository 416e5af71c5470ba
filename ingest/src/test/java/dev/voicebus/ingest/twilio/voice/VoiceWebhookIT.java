package dev.voicebus.ingest.twilio.voice;

import static dev.voicebus.ingest.support.CallRecords.startedWithExternalId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.CallStarted;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.ingest.support.RawSockets;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.simulator.CloseStatus;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.StreamRequest;
import dev.voicebus.simulator.TwilioCallSimulator;
import dev.voicebus.simulator.twilio.FakeTwilio;
import dev.voicebus.simulator.twilio.InboundCall;
import dev.voicebus.simulator.twilio.InboundDial;
import dev.voicebus.simulator.twilio.TwimlDocument;
import dev.voicebus.telephony.twilio.TwilioSignature;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Twilio's voice webhook on a node behind a public URL (the fake Twilio signs as Twilio would and
 * reaches the node through a "tunnel"): signed calls to routed numbers get TwiML connecting their
 * stream with a token; bad signatures and unknown numbers are refused; the stream then needs its
 * token, once, for its own CallSid.
 */
@ExtendWith(KafkaClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VoiceWebhookIT {

  private static final String PUBLIC = "voice.example.com";
  private static final String ACCOUNT = SimulatedCall.ACCOUNT_SID;
  private static final String CALLER = "+15557654321";
  private static final String SUPPORT_LINE = "+15550001111";
  private static final String SALES_LINE = "+15550002222";

  private final HttpClient http = HttpClient.newHttpClient();
  private TwilioCallSimulator twilioSide;
  private FakeTwilio twilio;
  private IngestHarness harness;

  @BeforeAll
  void start(KafkaCluster cluster) throws Exception {
    twilioSide =
        new TwilioCallSimulator(
            SimulatorOptions.of(URI.create("ws://127.0.0.1:1/unused"), IngestHarness.TWILIO_TOKEN),
            1);
    twilio =
        FakeTwilio.start(
            Map.of(ACCOUNT, IngestHarness.TWILIO_TOKEN, "ACstranger", "stranger-token"),
            twilioSide);
    harness =
        new IngestHarness(
            cluster,
            Map.of(
                "ingest.public-url", "https://" + PUBLIC,
                "ingest.twilio.account-sid", ACCOUNT,
                "ingest.twilio.numbers", SUPPORT_LINE + "=support\n" + SALES_LINE + "=sales"));
    twilio.calls().tunnel("wss://" + PUBLIC, "ws://127.0.0.1:" + harness.service().port());
  }

  @AfterAll
  void stop() {
    harness.close();
    twilio.close();
    twilioSide.close();
  }

  private InboundDial dial(String to) {
    return InboundDial.of(harness.httpUri("/twilio/voice"), ACCOUNT, CALLER, to)
        .signedAs("https://" + PUBLIC + "/twilio/voice");
  }

  private CallStarted started(String callSid) {
    var control = harness.control(r -> startedWithExternalId(r, callSid).isPresent());
    return startedWithExternalId(control, callSid).orElseThrow();
  }

  @Test
  void connectsASignedCallToARoutedNumberWithItsProfileAndAStreamToken() throws Exception {
    InboundCall call = twilio.calls().dialIn(dial(SUPPORT_LINE)).get(15, TimeUnit.SECONDS);

    assertThat(call.status()).isEqualTo(200);
    var stream = call.twiml().orElseThrow().stream().orElseThrow();
    assertThat(stream.url())
        .matches("wss://voice\\.example\\.com/twilio/media\\?token=[A-Za-z0-9_-]{43}");
    assertThat(stream.parameters())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("agentProfile", "support", "tenantId", "default"));
    assertThat(call.stream()).isPresent();
    CallStarted started = started(call.callSid());
    assertThat(started.getAgentProfile()).isEqualTo("support");
    assertThat(started.getTenantId()).isEqualTo("default");
    assertThat(started.getCallerMetadata())
        .containsEntry("twilio.from", CALLER)
        .containsEntry("twilio.to", SUPPORT_LINE)
        .containsEntry("twilio.direction", "inbound");

    InboundCall sales = twilio.calls().dialIn(dial(SALES_LINE)).get(15, TimeUnit.SECONDS);
    assertThat(started(sales.callSid()).getAgentProfile()).isEqualTo("sales");
    call.stream().get().sendStop();
    sales.stream().get().sendStop();
  }

  @Test
  void acceptsTheWebhookSignedWithTheDefaultPortSpelledOut() throws Exception {
    InboundCall call =
        twilio
            .calls()
            .dialIn(dial(SUPPORT_LINE).signedAs("https://" + PUBLIC + ":443/twilio/voice"))
            .get(15, TimeUnit.SECONDS);

    assertThat(call.status()).isEqualTo(200);
    assertThat(call.stream()).isPresent();
    call.stream().get().sendStop();
  }

  @Test
  void refusesAWebhookNotSignedForThisUrlOrByAKnownAccount() throws Exception {
    InboundCall otherUrl =
        twilio
            .calls()
            .dialIn(dial(SUPPORT_LINE).signedAs("https://" + PUBLIC + "/twilio/voice?x=1"))
            .get(15, TimeUnit.SECONDS);
    InboundCall stranger =
        twilio
            .calls()
            .dialIn(
                InboundDial.of(harness.httpUri("/twilio/voice"), "ACstranger", CALLER, SUPPORT_LINE)
                    .signedAs("https://" + PUBLIC + "/twilio/voice"))
            .get(15, TimeUnit.SECONDS);
    var unsigned =
        http.send(
            HttpRequest.newBuilder(harness.httpUri("/twilio/voice"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("To=%2B15550001111"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(otherUrl.status()).isEqualTo(403);
    assertThat(otherUrl.body())
        .contains("invalid X-Twilio-Signature for https://voice.example.com/twilio/voice");
    assertThat(otherUrl.stream()).isEmpty();
    assertThat(stranger.status()).isEqualTo(403);
    assertThat(unsigned.statusCode()).isEqualTo(401);
  }

  @Test
  void answersAnUnroutedNumberWithTwimlThatSaysSoAndHangsUp() throws Exception {
    InboundCall call = twilio.calls().dialIn(dial("+15559999999")).get(15, TimeUnit.SECONDS);

    assertThat(call.status()).isEqualTo(200);
    TwimlDocument twiml = call.twiml().orElseThrow();
    assertThat(twiml.says()).containsExactly(VoiceWebhookHandler.NOT_IN_SERVICE);
    assertThat(twiml.hangsUp()).isTrue();
    assertThat(twiml.stream()).isEmpty();
    assertThat(call.stream()).isEmpty();
  }

  @Test
  void aStreamWithoutATokenIsRefused() throws Exception {
    String sid = TwilioCallSimulator.newCallSid();
    var request =
        StreamRequest.of(
                URI.create("wss://" + PUBLIC + "/twilio/media"),
                IngestHarness.TWILIO_TOKEN,
                ACCOUNT,
                sid,
                Map.of())
            .via(URI.create("ws://127.0.0.1:" + harness.service().port() + "/twilio/media"));
    SimulatedCall call =
        twilioSide.stream(request).exceptionally(e -> null).get(10, TimeUnit.SECONDS);

    assertThat(call).isNull();
    assertThat(upgrade("/twilio/media", null))
        .startsWith("HTTP/1.1 401")
        .contains("missing stream token");
  }

  @Test
  void aStreamTokenAdmitsOneStreamOnly() throws Exception {
    String callSid = TwilioCallSimulator.newCallSid();
    String url = webhook(callSid, SUPPORT_LINE).stream().orElseThrow().url();
    SimulatedCall first = twilioSide.stream(streamTo(url, callSid)).get(10, TimeUnit.SECONDS);
    started(callSid);

    String replay = upgrade(url.substring(url.indexOf("/twilio/media")), url);

    assertThat(replay).startsWith("HTTP/1.1 403").contains("stream token already used");
    assertThat(
            upgrade(
                "/twilio/media?token=not-a-token",
                "wss://" + PUBLIC + "/twilio/media?token=not-a-token"))
        .startsWith("HTTP/1.1 403")
        .contains("stream token unknown");
    first.sendStop();
  }

  @Test
  void aStreamTokenAdmitsOnlyTheCallItWasIssuedFor() throws Exception {
    String url =
        webhook(TwilioCallSimulator.newCallSid(), SUPPORT_LINE).stream().orElseThrow().url();
    String otherCall = TwilioCallSimulator.newCallSid();

    SimulatedCall call = twilioSide.stream(streamTo(url, otherCall)).get(10, TimeUnit.SECONDS);
    CloseStatus closed = call.closed().get(10, TimeUnit.SECONDS);

    assertThat(closed.code()).isEqualTo(1008);
    assertThat(closed.reason())
        .isEqualTo(
            "start.callSid '" + otherCall + "' is not the call this stream token was issued for");
  }

  /** The stream Twilio opens for the TwiML url, through the tunnel. */
  private StreamRequest streamTo(String url, String callSid) {
    return StreamRequest.of(URI.create(url), IngestHarness.TWILIO_TOKEN, ACCOUNT, callSid, Map.of())
        .via(
            URI.create(
                url.replace("wss://" + PUBLIC, "ws://127.0.0.1:" + harness.service().port())));
  }

  /** The voice webhook for call {@code callSid}, signed as Twilio signs it; its TwiML. */
  private TwimlDocument webhook(String callSid, String to) throws Exception {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("AccountSid", ACCOUNT);
    form.put("CallSid", callSid);
    form.put("From", CALLER);
    form.put("To", to);
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    var response =
        http.send(
            HttpRequest.newBuilder(harness.httpUri("/twilio/voice"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(
                    TwilioSignature.HEADER,
                    TwilioSignature.sign(
                        IngestHarness.TWILIO_TOKEN, "https://" + PUBLIC + "/twilio/voice", form))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/xml; charset=utf-8");
    return TwimlDocument.parse(response.body());
  }

  /**
   * A raw WebSocket upgrade of {@code path}, signed over {@code signedUrl} if given; the answer.
   */
  private String upgrade(String path, String signedUrl) throws Exception {
    try (Socket socket = RawSockets.connectFrom("127.0.0.1", harness.service().port())) {
      String signature =
          signedUrl == null
              ? TwilioSignature.sign(IngestHarness.TWILIO_TOKEN, "wss://" + PUBLIC + path, Map.of())
              : TwilioSignature.sign(IngestHarness.TWILIO_TOKEN, signedUrl, Map.of());
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + PUBLIC
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + TwilioSignature.HEADER
                  + ": "
                  + signature
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return RawSockets.readUntilClosed(socket, 5_000);
    }
  }
}

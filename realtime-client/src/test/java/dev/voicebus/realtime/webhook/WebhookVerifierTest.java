package dev.voicebus.realtime.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.realtime.webhook.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Standard Webhooks verification with known vectors: the one the official OpenAI SDKs test with
 * (openai-python, openai-node, openai-java, openai-go share it), and the example of the Standard
 * Webhooks specification (svix).
 */
class WebhookVerifierTest {

  // The OpenAI SDKs' shared test vector.
  private static final String OPENAI_SECRET = "whsec_RdvaYFYUXuIFuEbvZHwMfYFhUf7aMYjYcmM24+Aj40c=";
  private static final String OPENAI_ID = "wh_685c059ae39c8190af8c71ed1022a24d";
  private static final String OPENAI_TIMESTAMP = "1750861210";
  private static final String OPENAI_SIGNATURE = "v1,gUAg4R2hWouRZqRQG4uJypNS8YK885G838+EHb4nKBY=";
  private static final byte[] OPENAI_BODY =
      ("{\"id\": \"evt_685c059ae3a481909bdc86819b066fb6\", \"object\": \"event\", \"created_at\":"
              + " 1750861210, \"type\": \"response.completed\", \"data\": {\"id\": \"resp_123\"}}")
          .getBytes(StandardCharsets.UTF_8);

  // The Standard Webhooks specification's example.
  private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final String SPEC_TIMESTAMP = "1614265330";
  private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  private static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

  private static WebhookVerifier verifierAt(String secret, String timestamp) {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(Long.parseLong(timestamp)), ZoneOffset.UTC);
    return new WebhookVerifier(
        WebhookSecret.parse(secret), clock, WebhookVerifier.DEFAULT_TOLERANCE);
  }

  @Test
  void acceptsTheOpenAiSdkVector() {
    VerifiedWebhook verified =
        verifierAt(OPENAI_SECRET, OPENAI_TIMESTAMP)
            .verify(OPENAI_ID, OPENAI_TIMESTAMP, OPENAI_SIGNATURE, OPENAI_BODY);

    assertThat(verified.id()).isEqualTo(OPENAI_ID);
    assertThat(verified.timestamp()).isEqualTo(Instant.ofEpochSecond(1750861210));
  }

  @Test
  void acceptsTheStandardWebhooksSpecExample() {
    assertThat(
            verifierAt(SPEC_SECRET, SPEC_TIMESTAMP)
                .verify(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE, SPEC_BODY)
                .id())
        .isEqualTo(SPEC_ID);
  }

  @Test
  void signerProducesTheKnownSignatures() {
    assertThat(
            new WebhookSigner(WebhookSecret.parse(OPENAI_SECRET))
                .sign(OPENAI_ID, 1750861210L, OPENAI_BODY))
        .isEqualTo(OPENAI_SIGNATURE);
    assertThat(
            new WebhookSigner(WebhookSecret.parse(SPEC_SECRET))
                .sign(SPEC_ID, 1614265330L, SPEC_BODY))
        .isEqualTo(SPEC_SIGNATURE);
  }

  @Test
  void acceptsWhenAnyOfSeveralSignaturesMatches() {
    String header = "v1a,c29tZXRoaW5nZWxzZQ== v1,bm90IGl0 v1,%%% " + OPENAI_SIGNATURE;

    assertThat(
            verifierAt(OPENAI_SECRET, OPENAI_TIMESTAMP)
                .verify(OPENAI_ID, OPENAI_TIMESTAMP, header, OPENAI_BODY)
                .id())
        .isEqualTo(OPENAI_ID);
  }

  @Test
  void readsHeadersThroughALookup() {
    Map<String, String> headers =
        Map.of(
            "webhook-id", OPENAI_ID,
            "webhook-timestamp", OPENAI_TIMESTAMP,
            "webhook-signature", OPENAI_SIGNATURE);

    assertThat(verifierAt(OPENAI_SECRET, OPENAI_TIMESTAMP).verify(headers::get, OPENAI_BODY).id())
        .isEqualTo(OPENAI_ID);
  }

  @Test
  void refusesATamperedBody() {
    byte[] tampered =
        new String(OPENAI_BODY, StandardCharsets.UTF_8)
            .replace("resp_123", "resp_124")
            .getBytes(StandardCharsets.UTF_8);

    assertRefused(
        () ->
            verifierAt(OPENAI_SECRET, OPENAI_TIMESTAMP)
                .verify(OPENAI_ID, OPENAI_TIMESTAMP, OPENAI_SIGNATURE, tampered),
        Reason.SIGNATURE_MISMATCH);
  }

  @Test
  void refusesAnotherIdOrTimestampThanWasSigned() {
    WebhookVerifier verifier = verifierAt(OPENAI_SECRET, OPENAI_TIMESTAMP);
    assertRefused(
        () -> verifier.verify("wh_other", OPENAI_TIMESTAMP, OPENAI_SIGNATURE, OPENAI_BODY),
        Reason.SIGNATURE_MISMATCH);
    assertRefused(
        () -> verifier.verify(OPENAI_ID, "1750861211", OPENAI_SIGNATURE, OPENAI_BODY),
        Reason.SIGNATURE_MISMATCH);
  }

  @Test
  void refusesTheWrongSecretWithoutNamingIt() {
    String wrong = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

    WebhookVerificationException error =
        assertRefused(
            () ->
                verifierAt(wrong, OPENAI_TIMESTAMP)
                    .verify(OPENAI_ID, OPENAI_TIMESTAMP, OPENAI_SIGNATURE, OPENAI_BODY),
            Reason.SIGNATURE_MISMATCH);
    assertThat(error.getMessage()).doesNotContain(wrong).doesNotContain(OPENAI_SECRET);
  }

  @Test
  void acceptsTimestampsUpToFiveMinutesOffAndRefusesBeyond() {
    WebhookSigner signer = new WebhookSigner(WebhookSecret.parse(OPENAI_SECRET));
    long now = 1750861210L;
    WebhookVerifier verifier = verifierAt(OPENAI_SECRET, Long.toString(now));
    for (long offset : new long[] {-300, 300}) {
      long ts = now + offset;
      assertThat(
              verifier
                  .verify(
                      OPENAI_ID,
                      Long.toString(ts),
                      signer.sign(OPENAI_ID, ts, OPENAI_BODY),
                      OPENAI_BODY)
                  .id())
          .isEqualTo(OPENAI_ID);
    }
    long old = now - 301;
    long future = now + 301;
    assertRefused(
        () ->
            verifier.verify(
                OPENAI_ID,
                Long.toString(old),
                signer.sign(OPENAI_ID, old, OPENAI_BODY),
                OPENAI_BODY),
        Reason.TIMESTAMP_TOO_OLD);
    assertRefused(
        () ->
            verifier.verify(
                OPENAI_ID,
                Long.toString(future),
                signer.sign(OPENAI_ID, future, OPENAI_BODY),
                OPENAI_BODY),
        Reason.TIMESTAMP_TOO_NEW);
  }

  @Test
  void refusesMissingAndMalformedHeadersAsMalformed() {
    WebhookVerifier verifier = verifierAt(OPENAI_SECRET, OPENAI_TIMESTAMP);
    WebhookVerificationException noId =
        assertRefused(
            () -> verifier.verify(null, OPENAI_TIMESTAMP, OPENAI_SIGNATURE, OPENAI_BODY),
            Reason.MISSING_HEADER);
    assertThat(noId.getMessage()).contains("webhook-id");
    assertThat(noId.reason().malformed()).isTrue();
    assertThat(
            assertRefused(
                    () -> verifier.verify(OPENAI_ID, " ", OPENAI_SIGNATURE, OPENAI_BODY),
                    Reason.MISSING_HEADER)
                .getMessage())
        .contains("webhook-timestamp");
    assertThat(
            assertRefused(
                    () -> verifier.verify(OPENAI_ID, OPENAI_TIMESTAMP, null, OPENAI_BODY),
                    Reason.MISSING_HEADER)
                .getMessage())
        .contains("webhook-signature");
    assertRefused(
        () -> verifier.verify(OPENAI_ID, "2025-06-25T14:20:10Z", OPENAI_SIGNATURE, OPENAI_BODY),
        Reason.BAD_TIMESTAMP);
    assertRefused(
        () -> verifier.verify(OPENAI_ID, OPENAI_TIMESTAMP, "gUAg4R2hWouRZqRQG4uJyp", OPENAI_BODY),
        Reason.NO_SIGNATURE);
    assertRefused(
        () -> verifier.verify("x".repeat(257), OPENAI_TIMESTAMP, OPENAI_SIGNATURE, OPENAI_BODY),
        Reason.BAD_ID);
    assertThat(Reason.SIGNATURE_MISMATCH.malformed()).isFalse();
    assertThat(Reason.TIMESTAMP_TOO_OLD.malformed()).isFalse();
  }

  @Test
  void secretsMustBeWhsecBase64OfEnoughBytesAndNeverShow() {
    assertThatThrownBy(() -> WebhookSecret.parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        .hasMessageContaining("whsec_")
        .hasMessageNotContaining("MfKQ9r8G");
    assertThatThrownBy(() -> WebhookSecret.parse("whsec_%%%%not-base64%%%%"))
        .hasMessageContaining("base64")
        .hasMessageNotContaining("not-base64");
    assertThatThrownBy(() -> WebhookSecret.parse("whsec_c2hvcnQ=")).hasMessageContaining("16");
    assertThat(WebhookSecret.parse("  " + SPEC_SECRET + "\n").reveal()).isEqualTo(SPEC_SECRET);
    assertThat(WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").toString())
        .doesNotContain("MfKQ");
    WebhookSecret generated = WebhookSecret.generate();
    assertThat(WebhookSecret.parse(generated.reveal()).sameAs(generated)).isTrue();
    assertThat(WebhookSecret.generate().sameAs(generated)).isFalse();
  }

  @Test
  void aGeneratedSecretRoundTripsThroughSignerAndVerifier() {
    WebhookSecret secret = WebhookSecret.generate();
    byte[] body = "{\"type\":\"realtime.call.incoming\"}".getBytes(StandardCharsets.UTF_8);
    long now = Instant.now().getEpochSecond();
    String signature = new WebhookSigner(secret).sign("wh_1", now, body);

    assertThat(
            new WebhookVerifier(WebhookSecret.parse(secret.reveal()))
                .verify("wh_1", Long.toString(now), signature, body)
                .id())
        .isEqualTo("wh_1");
  }

  private static WebhookVerificationException assertRefused(Runnable verify, Reason reason) {
    try {
      verify.run();
    } catch (WebhookVerificationException e) {
      assertThat(e.reason()).isEqualTo(reason);
      return e;
    }
    throw new AssertionError("verification passed, expected " + reason);
  }

  @Test
  void toleranceMustNotBeNegative() {
    assertThatThrownBy(
            () ->
                new WebhookVerifier(
                    WebhookSecret.parse(SPEC_SECRET), Clock.systemUTC(), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

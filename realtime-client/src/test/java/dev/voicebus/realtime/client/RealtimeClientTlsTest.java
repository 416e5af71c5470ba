package dev.voicebus.realtime.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * {@code wss} against a local TLS server with a self-signed certificate (made at test time with
 * Netty's pkitesting): untrusted by default, trusted only when the test passes its trust manager
 * through the config, and still rejected when the certificate names another host.
 */
class RealtimeClientTlsTest {

  private static final ApiKey KEY = ApiKey.of("sk-tls-test-key");

  private static X509Bundle certificateFor(String sanDns, String sanIp) throws Exception {
    CertificateBuilder builder =
        new CertificateBuilder()
            .subject("CN=" + sanDns)
            .addSanDnsName(sanDns)
            .setIsCertificateAuthority(true)
            .notAfter(Instant.now().plus(Duration.ofDays(1)))
            .ecp256();
    if (sanIp != null) {
      builder.addSanIpAddress(sanIp);
    }
    return builder.buildSelfSigned();
  }

  private static SslContext serverTls(X509Bundle bundle) throws Exception {
    return SslContextBuilder.forServer(bundle.toKeyManagerFactory()).build();
  }

  @Test
  void rejectsAnUntrustedCertificateByDefault() throws Exception {
    X509Bundle cert = certificateFor("localhost", "127.0.0.1");
    try (TestWebSocketServer server = new TestWebSocketServer(serverTls(cert));
        RealtimeClient client =
            new RealtimeClient(RealtimeClientConfig.defaults(KEY).withBaseUri(server.baseUri()))) {

      Throwable error =
          RealtimeClientTest.failure(client.connect("gpt-realtime", new RecordingListener()));

      assertThat(error).isInstanceOf(RealtimeConnectException.class);
      assertThat(causeChainHas(error, SSLHandshakeException.class)).isTrue();
      assertThat(causeChainHas(error, java.security.cert.CertPathBuilderException.class)).isTrue();
      assertThat(server.upgrades).isEmpty();
    }
  }

  @Test
  void acceptsACertificateTrustedThroughTheConfig() throws Exception {
    X509Bundle cert = certificateFor("localhost", "127.0.0.1");
    try (TestWebSocketServer server = new TestWebSocketServer(serverTls(cert));
        RealtimeClient client =
            new RealtimeClient(
                RealtimeClientConfig.defaults(KEY)
                    .withBaseUri(server.baseUri())
                    .withTrustManagerFactory(cert.toTrustManagerFactory()))) {

      RealtimeConnection connection =
          client.connect("gpt-realtime", new RecordingListener()).get(10, TimeUnit.SECONDS);

      assertThat(connection.isOpen()).isTrue();
      assertThat(server.upgrades.poll(5, TimeUnit.SECONDS).headers().get("Authorization"))
          .isEqualTo("Bearer sk-tls-test-key");
    }
  }

  @Test
  void rejectsATrustedCertificateIssuedForAnotherHost() throws Exception {
    X509Bundle cert = certificateFor("realtime.example.invalid", null);
    try (TestWebSocketServer server = new TestWebSocketServer(serverTls(cert));
        RealtimeClient client =
            new RealtimeClient(
                RealtimeClientConfig.defaults(KEY)
                    .withBaseUri(server.baseUri())
                    .withTrustManagerFactory(cert.toTrustManagerFactory()))) {

      Throwable error =
          RealtimeClientTest.failure(client.connect("gpt-realtime", new RecordingListener()));

      assertThat(error).isInstanceOf(RealtimeConnectException.class);
      assertThat(causeChainHas(error, SSLHandshakeException.class)).isTrue();
      assertThat(String.valueOf(error.getCause())).containsIgnoringCase("127.0.0.1");
      assertThat(server.upgrades).isEmpty();
    }
  }

  private static boolean causeChainHas(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}

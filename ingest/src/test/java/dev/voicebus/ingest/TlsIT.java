package dev.voicebus.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.ingest.audio.G711;
import dev.voicebus.ingest.sim.SimulatedCall;
import dev.voicebus.ingest.sim.SimulatedCall.Pacing;
import dev.voicebus.ingest.sim.SimulatorOptions;
import dev.voicebus.ingest.sim.TwilioCallSimulator;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With a PEM certificate configured the node speaks wss, verified by the client. */
@ExtendWith(KafkaClusterExtension.class)
class TlsIT {

  @Test
  void acceptsTwilioOverTlsWithTheConfiguredCertificate(KafkaCluster cluster) throws Exception {
    X509Bundle cert =
        new CertificateBuilder()
            .subject("CN=localhost")
            .addSanDnsName("localhost")
            .addSanIpAddress("127.0.0.1")
            .setIsCertificateAuthority(true)
            .notAfter(Instant.now().plus(Duration.ofDays(1)))
            .ecp256()
            .buildSelfSigned();
    var settings =
        Map.of(
            "ingest.tls.cert", cert.toTempCertChainPem().getAbsolutePath(),
            "ingest.tls.key", cert.toTempPrivateKeyPem().getAbsolutePath(),
            "ingest.public-url", "wss://voice.example.com");
    try (var harness = new IngestHarness(cluster, settings)) {
      var target =
          URI.create("wss://127.0.0.1:" + harness.service().port() + "/twilio/media?tenant=x");
      var client = SslContextBuilder.forClient().trustManager(cert.toTrustManagerFactory()).build();
      var options =
          new SimulatorOptions(
              target,
              IngestHarness.TWILIO_TOKEN,
              "wss://voice.example.com/twilio/media?tenant=x",
              Optional.of(client));
      try (var simulator = new TwilioCallSimulator(options, 1)) {
        SimulatedCall call = simulator.call(Map.of()).get(10, TimeUnit.SECONDS);
        call.streamAudio(G711.muLawTone(440, 100, 0), Pacing.AS_FAST_AS_POSSIBLE)
            .get(5, TimeUnit.SECONDS);
        call.sendStop();
        assertThat(call.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
      }
    }
  }
}

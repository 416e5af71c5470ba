package dev.voicebus.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatedCall.Pacing;
import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.Tone;
import dev.voicebus.simulator.TwilioCallSimulator;
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
        call.streamAudio(Tone.muLaw(440, 100), Pacing.AS_FAST_AS_POSSIBLE).get(5, TimeUnit.SECONDS);
        call.sendStop();
        assertThat(call.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
      }
    }
  }
}

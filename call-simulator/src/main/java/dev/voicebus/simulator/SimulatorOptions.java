package dev.voicebus.simulator;

import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.util.Optional;

/**
 * Where the simulated Twilio connects ({@code target}, ws:// or wss://), the auth token it signs
 * with, the URL it signs (what Twilio believes the stream URL is; usually {@code ingest.public-url}
 * + path) and, for wss, the client TLS context.
 */
public record SimulatorOptions(
    URI target, String authToken, String signedUrl, Optional<SslContext> ssl) {

  /** Signs the target URL itself, plain ws. */
  public static SimulatorOptions of(URI target, String authToken) {
    return new SimulatorOptions(target, authToken, target.toString(), Optional.empty());
  }
}

package dev.voicebus.ingest.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The URLs Twilio uses to reach this node, as it signs them: {@code https://host} for webhooks and
 * REST callbacks, {@code wss://host} for the Media Streams upgrade. From {@code ingest.public-url}
 * (either scheme; {@code http}/{@code ws} for local testing), else from the request's {@code Host}
 * header with the scheme of the listener (TLS or not).
 */
public final class PublicUrls {

  private final Optional<String> host;
  private final boolean secure;

  public PublicUrls(Optional<URI> publicUrl, boolean tls) {
    this.host = publicUrl.map(PublicUrls::authority);
    this.secure =
        publicUrl
            .map(u -> Set.of("https", "wss").contains(u.getScheme().toLowerCase(Locale.ROOT)))
            .orElse(tls);
  }

  private static String authority(URI uri) {
    return uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  /** {@code https://host[:port]} (or {@code http://}) for {@code request}. */
  public String http(HttpRequest request) {
    return (secure ? "https://" : "http://") + host(request);
  }

  /** {@code wss://host[:port]} (or {@code ws://}) for {@code request}. */
  public String ws(HttpRequest request) {
    return (secure ? "wss://" : "ws://") + host(request);
  }

  private String host(HttpRequest request) {
    return host.orElseGet(() -> String.valueOf(request.headers().get(HttpHeaderNames.HOST)));
  }
}

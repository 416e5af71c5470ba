package dev.voicebus.analytics.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The analytics instances as Kafka Streams sees them (each advertises its API address as {@code
 * application.server}): which one owns a key of a store, which ones hold parts of a store, this
 * instance's local stores, and forwarding a request to a peer over HTTP with the caller's own
 * credential (each instance authenticates every request, so peers need no trust of their own).
 */
final class Cluster {

  /** Set on requests one instance forwards to another, so none is forwarded twice. */
  static final String FORWARDED = "X-Voicebus-Forwarded";

  private final KafkaStreams streams;
  private final HostInfo self;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  Cluster(KafkaStreams streams, HostInfo self) {
    this.streams = streams;
    this.self = self;
  }

  /** The instance owning {@code key} of {@code store}; empty when it is this one. */
  Optional<HostInfo> owner(String store, String key) {
    KeyQueryMetadata metadata =
        streams.queryMetadataForKey(store, key, Serdes.String().serializer());
    if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE) {
      throw HttpError.unavailable("the analytics service is starting or rebalancing; retry");
    }
    HostInfo active = metadata.activeHost();
    return active.equals(self) ? Optional.empty() : Optional.of(active);
  }

  /** Every other instance holding part of {@code store}. */
  List<HostInfo> peers(String store) {
    List<HostInfo> peers = new ArrayList<>();
    for (StreamsMetadata metadata : streams.streamsMetadataForStore(store)) {
      if (!metadata.hostInfo().equals(self)) {
        peers.add(metadata.hostInfo());
      }
    }
    return peers;
  }

  <V> ReadOnlyKeyValueStore<String, V> local(String store) {
    try {
      return streams.store(
          StoreQueryParameters.fromNameAndType(
              store, QueryableStoreTypes.<String, V>keyValueStore()));
    } catch (InvalidStateStoreException e) {
      throw HttpError.unavailable("the analytics service is starting or rebalancing; retry");
    }
  }

  static boolean forwarded(HttpExchange exchange) {
    return exchange.getRequestHeaders().containsKey(FORWARDED);
  }

  /** GETs {@code pathAndQuery} from {@code peer} with the exchange's credential. */
  HttpResponse<String> get(HttpExchange exchange, HostInfo peer, String pathAndQuery) {
    try {
      return client.send(
          request(exchange, peer, pathAndQuery), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw HttpError.unavailable("peer " + peer + " did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HttpError.unavailable("interrupted while asking peer " + peer);
    }
  }

  /** Opens a stream of {@code pathAndQuery} from {@code peer}. */
  HttpResponse<InputStream> stream(HttpExchange exchange, HostInfo peer, String pathAndQuery) {
    try {
      return client.send(
          request(exchange, peer, pathAndQuery), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw HttpError.unavailable("peer " + peer + " did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HttpError.unavailable("interrupted while asking peer " + peer);
    }
  }

  private static HttpRequest request(HttpExchange exchange, HostInfo peer, String pathAndQuery) {
    var builder =
        HttpRequest.newBuilder(
                URI.create("http://" + peer.host() + ":" + peer.port() + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .header(FORWARDED, "1")
            .GET();
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth != null) {
      builder.header("Authorization", auth);
    }
    if (pathAndQuery.contains("/events")) {
      builder.timeout(Duration.ofDays(1));
    }
    return builder.build();
  }
}

package dev.voicebus.analytics.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.voicebus.analytics.live.LiveTranscripts;
import dev.voicebus.analytics.topology.AnalyticsStores;
import dev.voicebus.analytics.topology.CallIndex;
import dev.voicebus.avro.CallRecord;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code GET /v1/calls/{callId}} (from the instance owning the call), {@code GET /v1/calls} (a
 * tenant's calls newest first, paged with a cursor, gathered from every instance) and {@code GET
 * /v1/calls/live} (calls not yet ENDED, from every instance). A call of another tenant is answered
 * like an unknown one (404).
 */
final class CallsApi {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  /** Newest first, then by call id: the order of the index and of every page. */
  private static final Comparator<Entry> ORDER =
      Comparator.comparingLong(Entry::startedAtMs).reversed().thenComparing(Entry::callId);

  /** One listed call with its place in the order. */
  private record Entry(long startedAtMs, String callId, JsonNode summary) {}

  private final Cluster cluster;
  private final LiveTranscripts live;

  CallsApi(Cluster cluster, LiveTranscripts live) {
    this.cluster = cluster;
    this.live = live;
  }

  void one(HttpExchange exchange, Principal principal, String callId) throws IOException {
    new Params(exchange.getRequestURI()).allowOnly();
    Optional<HostInfo> owner = cluster.owner(AnalyticsStores.CALLS, callId);
    if (owner.isPresent()) {
      relay(exchange, owner.get());
      return;
    }
    CallRecord doc = visible(principal, callId);
    Exchanges.json(exchange, 200, ApiJson.document(doc, live));
  }

  /** The document of {@code callId} in this instance's stores, if {@code principal} may see it. */
  CallRecord visible(Principal principal, String callId) {
    ReadOnlyKeyValueStore<String, CallRecord> calls = cluster.local(AnalyticsStores.CALLS);
    CallRecord doc = calls.get(callId);
    if (doc == null || !principal.sees(CallIndex.tenantOf(doc))) {
      throw HttpError.notFound("no call " + Params.clip(callId));
    }
    return doc;
  }

  void list(HttpExchange exchange, Principal principal) throws IOException {
    var params = new Params(exchange.getRequestURI());
    params.allowOnly("tenant", "from", "to", "limit", "cursor", "scope");
    Optional<String> tenant = params.get("tenant");
    if (tenant.isEmpty() && principal instanceof Principal.Tenant own) {
      tenant = Optional.of(own.tenant());
    }
    if (tenant.isPresent() && !principal.sees(tenant.get())) {
      throw new HttpError(403, "this token does not see tenant " + Params.clip(tenant.get()));
    }
    Instant from = params.instant("from").orElse(Instant.EPOCH);
    Instant to = params.instant("to").orElse(Instant.parse("2286-11-20T00:00:00Z"));
    if (to.isBefore(from)) {
      throw HttpError.badRequest("to=" + to + " is before from=" + from);
    }
    int limit = params.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    Optional<Entry> after = params.get("cursor").map(CallsApi::decodeCursor);
    List<Entry> entries = new ArrayList<>(local(tenant, from, to, limit, after));
    if (!isLocalScope(params)) {
      for (HostInfo peer : cluster.peers(AnalyticsStores.CALL_INDEX)) {
        entries.addAll(fromPeer(exchange, peer, "/v1/calls", "calls"));
      }
    }
    entries.sort(ORDER);
    List<Entry> page = entries.subList(0, Math.min(limit, entries.size()));
    ArrayNode calls = ApiJson.array();
    page.forEach(e -> calls.add(e.summary()));
    ObjectNode body = ApiJson.object();
    body.set("calls", calls);
    // A full page may have a next one (possibly empty); a short page is the last.
    body.put("next", page.size() == limit ? encodeCursor(page.get(page.size() - 1)) : null);
    Exchanges.json(exchange, 200, body);
  }

  private List<Entry> local(
      Optional<String> tenant, Instant from, Instant to, int limit, Optional<Entry> after) {
    ReadOnlyKeyValueStore<String, String> index = cluster.local(AnalyticsStores.CALL_INDEX);
    ReadOnlyKeyValueStore<String, CallRecord> calls = cluster.local(AnalyticsStores.CALLS);
    List<Entry> found = new ArrayList<>();
    try (KeyValueIterator<String, String> it =
        tenant.isPresent()
            ? index.range(CallIndex.from(tenant.get(), to), CallIndex.to(tenant.get(), from))
            : index.all()) {
      while (it.hasNext()) {
        String key = it.next().key;
        long startedAt = CallIndex.startedAtMs(key);
        String callId = CallIndex.callId(key);
        var entry = new Entry(startedAt, callId, null);
        if (startedAt < from.toEpochMilli()
            || startedAt > to.toEpochMilli()
            || after.isPresent() && ORDER.compare(entry, after.get()) <= 0) {
          continue;
        }
        CallRecord doc = calls.get(callId);
        if (doc != null) {
          found.add(new Entry(startedAt, callId, ApiJson.summary(doc)));
        }
      }
    }
    found.sort(ORDER);
    return found.subList(0, Math.min(limit, found.size()));
  }

  void live(HttpExchange exchange, Principal principal) throws IOException {
    var params = new Params(exchange.getRequestURI());
    params.allowOnly("tenant", "scope");
    Optional<String> tenant = params.get("tenant");
    if (tenant.isPresent() && !principal.sees(tenant.get())) {
      throw new HttpError(403, "this token does not see tenant " + Params.clip(tenant.get()));
    }
    List<Entry> entries = new ArrayList<>();
    ReadOnlyKeyValueStore<String, String> liveCalls = cluster.local(AnalyticsStores.LIVE);
    ReadOnlyKeyValueStore<String, CallRecord> calls = cluster.local(AnalyticsStores.CALLS);
    try (KeyValueIterator<String, String> it = liveCalls.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        if (!principal.sees(kv.value) || tenant.isPresent() && !tenant.get().equals(kv.value)) {
          continue;
        }
        CallRecord doc = calls.get(kv.key);
        if (doc != null) {
          long startedAt = doc.getStartedAt() == null ? 0 : doc.getStartedAt().toEpochMilli();
          entries.add(new Entry(startedAt, kv.key, ApiJson.summary(doc)));
        }
      }
    }
    if (!isLocalScope(params)) {
      for (HostInfo peer : cluster.peers(AnalyticsStores.LIVE)) {
        entries.addAll(fromPeer(exchange, peer, "/v1/calls/live", "calls"));
      }
    }
    entries.sort(ORDER);
    ArrayNode array = ApiJson.array();
    entries.forEach(e -> array.add(e.summary()));
    ObjectNode body = ApiJson.object();
    body.set("calls", array);
    Exchanges.json(exchange, 200, body);
  }

  private List<Entry> fromPeer(HttpExchange exchange, HostInfo peer, String path, String field) {
    String query = exchange.getRequestURI().getRawQuery();
    String pathAndQuery = path + "?" + (query == null ? "" : query + "&") + "scope=local";
    HttpResponse<String> response = cluster.get(exchange, peer, pathAndQuery);
    if (response.statusCode() != 200) {
      throw HttpError.unavailable(
          "peer "
              + peer
              + " answered "
              + response.statusCode()
              + ": "
              + Params.clip(response.body()));
    }
    List<Entry> entries = new ArrayList<>();
    for (JsonNode summary : ApiJson.parse(response.body()).path(field)) {
      String startedAt = summary.path("startedAt").asText("");
      long ms = startedAt.isEmpty() ? 0 : Instant.parse(startedAt).toEpochMilli();
      entries.add(new Entry(ms, summary.path("callId").asText(), summary));
    }
    return entries;
  }

  /** Answers with what the owning instance answers. */
  void relay(HttpExchange exchange, HostInfo owner) throws IOException {
    if (Cluster.forwarded(exchange)) {
      throw HttpError.unavailable("the call's owner is moving between instances; retry");
    }
    HttpResponse<String> response =
        cluster.get(exchange, owner, exchange.getRequestURI().getRawPath() + query(exchange));
    Exchanges.send(exchange, response.statusCode(), Exchanges.JSON, response.body());
  }

  private static String query(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    return query == null ? "" : "?" + query;
  }

  private static boolean isLocalScope(Params params) {
    Optional<String> scope = params.get("scope");
    if (scope.isPresent() && !scope.get().equals("local")) {
      throw HttpError.badRequest("scope='" + Params.clip(scope.get()) + "' is invalid: use local");
    }
    return scope.isPresent();
  }

  static String encodeCursor(Entry entry) {
    String raw = entry.startedAtMs() + ":" + entry.callId();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static Entry decodeCursor(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int colon = raw.indexOf(':');
      return new Entry(Long.parseLong(raw.substring(0, colon)), raw.substring(colon + 1), null);
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      throw HttpError.badRequest(
          "cursor='" + Params.clip(cursor) + "' is invalid: pass the 'next' of the previous page");
    }
  }
}

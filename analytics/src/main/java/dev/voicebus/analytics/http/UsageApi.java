package dev.voicebus.analytics.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.voicebus.analytics.topology.AnalyticsStores;
import dev.voicebus.analytics.usage.LatencyHistogram;
import dev.voicebus.analytics.usage.UsageWindows;
import dev.voicebus.avro.TenantUsage;
import dev.voicebus.avro.UsageGranularity;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code GET /v1/tenants/{tenant}/usage?from=&to=&granularity=hour|day}: the tenant's usage windows
 * in the range (default: the last 24 hours by hour, or the last 30 days by day) and their totals,
 * from the one instance that owns the tenant's windows.
 */
final class UsageApi {

  static final int MAX_WINDOWS = 24 * 93;

  private final Cluster cluster;
  private final CallsApi calls;

  UsageApi(Cluster cluster, CallsApi calls) {
    this.cluster = cluster;
    this.calls = calls;
  }

  void usage(HttpExchange exchange, Principal principal, String tenant) throws IOException {
    var params = new Params(exchange.getRequestURI());
    params.allowOnly("from", "to", "granularity");
    if (!principal.sees(tenant)) {
      throw new HttpError(403, "this token does not see tenant " + Params.clip(tenant));
    }
    UsageGranularity granularity = granularity(params);
    Instant to = params.instant("to").orElse(Instant.now());
    Instant from =
        params
            .instant("from")
            .orElse(
                to.minus(
                    granularity == UsageGranularity.DAY
                        ? Duration.ofDays(30)
                        : Duration.ofHours(24)));
    if (to.isBefore(from)) {
      throw HttpError.badRequest("to=" + to + " is before from=" + from);
    }
    long windows = Duration.between(from, to).dividedBy(UsageWindows.size(granularity));
    if (windows > MAX_WINDOWS) {
      throw HttpError.badRequest(
          "from..to spans "
              + windows
              + " "
              + granularity.name().toLowerCase(Locale.ROOT)
              + "s: ask for at most "
              + MAX_WINDOWS
              + " windows at once");
    }
    Optional<HostInfo> owner = cluster.owner(AnalyticsStores.USAGE, tenant);
    if (owner.isPresent()) {
      calls.relay(exchange, owner.get());
      return;
    }
    ReadOnlyKeyValueStore<String, TenantUsage> store = cluster.local(AnalyticsStores.USAGE);
    String[] range = UsageWindows.storeRange(tenant, granularity, from, to);
    ArrayNode list = ApiJson.array();
    Totals totals = new Totals();
    try (KeyValueIterator<String, TenantUsage> it = store.range(range[0], range[1])) {
      while (it.hasNext()) {
        TenantUsage window = it.next().value;
        list.add(ApiJson.usage(window));
        totals.add(window);
      }
    }
    ObjectNode body = ApiJson.object();
    body.put("tenant", tenant);
    body.put("granularity", granularity.name().toLowerCase(Locale.ROOT));
    body.put("from", from.toString());
    body.put("to", to.toString());
    body.set("windows", list);
    body.set("totals", totals.json());
    Exchanges.json(exchange, 200, body);
  }

  private static UsageGranularity granularity(Params params) {
    String raw = params.get("granularity").orElse("hour");
    return switch (raw) {
      case "hour" -> UsageGranularity.HOUR;
      case "day" -> UsageGranularity.DAY;
      default ->
          throw HttpError.badRequest(
              "granularity='" + Params.clip(raw) + "' is invalid: use hour or day");
    };
  }

  /** The sums over the windows of the answer, with the latency percentiles of all of them. */
  private static final class Totals {
    long calls;
    long callMs;
    long tokens;
    long inputAudio;
    long inputText;
    long outputAudio;
    long outputText;
    double cost;
    long toolCalls;
    long toolErrors;
    long errors;
    final Map<String, Long> buckets = new HashMap<>();

    void add(TenantUsage w) {
      calls += w.getCalls();
      callMs += w.getCallMs();
      tokens += w.getUsage().getTotalTokens();
      inputAudio += w.getUsage().getInputAudioTokens();
      inputText += w.getUsage().getInputTextTokens();
      outputAudio += w.getUsage().getOutputAudioTokens();
      outputText += w.getUsage().getOutputTextTokens();
      cost += w.getCostUsd();
      toolCalls += w.getToolCalls();
      toolErrors += w.getToolErrors();
      errors += w.getErrors();
      w.getTurnLatencyBuckets().forEach((k, v) -> buckets.merge(k, v, Long::sum));
    }

    ObjectNode json() {
      ObjectNode node = ApiJson.object();
      node.put("calls", calls);
      node.put("callMs", callMs);
      node.put("minutes", Math.round(callMs / 600.0) / 100.0);
      node.put("totalTokens", tokens);
      node.put("inputAudioTokens", inputAudio);
      node.put("inputTextTokens", inputText);
      node.put("outputAudioTokens", outputAudio);
      node.put("outputTextTokens", outputText);
      node.put("costUsd", cost);
      node.put("toolCalls", toolCalls);
      node.put("toolErrors", toolErrors);
      node.put("errors", errors);
      node.put("turnLatencyP50Ms", LatencyHistogram.quantile(buckets, 0.5));
      node.put("turnLatencyP95Ms", LatencyHistogram.quantile(buckets, 0.95));
      return node;
    }
  }
}

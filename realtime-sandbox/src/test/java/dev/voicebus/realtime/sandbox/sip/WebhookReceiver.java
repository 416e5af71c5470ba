package dev.voicebus.realtime.sandbox.sip;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.voicebus.realtime.webhook.VerifiedWebhook;
import dev.voicebus.realtime.webhook.WebhookEvent;
import dev.voicebus.realtime.webhook.WebhookSecret;
import dev.voicebus.realtime.webhook.WebhookVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A project webhook endpoint for tests: verifies every delivery with the shared secret (as a
 * receiver must), records it, and answers with the next scripted status (200 once the script is
 * used up). A test may act on each verified incoming call (e.g. accept it, as Voicebus would).
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One delivery as received. */
  public record Delivery(
      String webhookId,
      long timestamp,
      Map<String, String> headers,
      VerifiedWebhook verified,
      WebhookEvent.CallIncoming event,
      int answeredWith) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final WebhookVerifier verifier;
  private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private final List<String> refusals = new CopyOnWriteArrayList<>();
  private volatile Consumer<WebhookEvent.CallIncoming> onCall = c -> {};

  public WebhookReceiver(WebhookSecret secret) throws IOException {
    verifier = new WebhookVerifier(secret);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/openai/webhook", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/openai/webhook");
  }

  /** Answers the next deliveries with these statuses, in order. */
  public void answerWith(Integer... statuses) {
    script.addAll(List.of(statuses));
  }

  public void onCall(Consumer<WebhookEvent.CallIncoming> action) {
    onCall = action;
  }

  public List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** Deliveries of the call {@code callId}. */
  public List<Delivery> deliveriesOf(String callId) {
    return deliveries.stream().filter(d -> d.event().callId().equals(callId)).toList();
  }

  /** Why deliveries failed verification (none expected). */
  public List<String> refusals() {
    return List.copyOf(refusals);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, String> headers = new ConcurrentHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
    int status;
    try {
      VerifiedWebhook verified = verifier.verify(headers::get, body);
      WebhookEvent.CallIncoming event = (WebhookEvent.CallIncoming) WebhookEvent.parse(body);
      Integer scripted = script.poll();
      status = scripted == null ? 200 : scripted;
      deliveries.add(
          new Delivery(
              verified.id(),
              Long.parseLong(headers.get("webhook-timestamp")),
              headers,
              verified,
              event,
              status));
      if (status / 100 == 2) {
        onCall.accept(event);
      }
    } catch (RuntimeException e) {
      refusals.add(String.valueOf(e.getMessage()));
      status = 401;
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

package dev.voicebus.webhooks.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An integrator's webhook receiver over a real socket: one path per endpoint, each verifying every
 * request with the official Standard Webhooks library against each of its secrets, recording what
 * arrived, and answering with the status its behaviour chooses.
 */
public final class Receiver implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as the receiver saw it, and the status it answered. */
  public record Request(
      String path,
      String webhookId,
      String timestamp,
      String signature,
      String body,
      List<Boolean> verifiedBySecret,
      int answered) {

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public String type() {
      return json().path("type").asText();
    }

    public String callId() {
      return json().path("data").path("callId").asText();
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Map<String, List<String>> secrets = new ConcurrentHashMap<>();
  private final Map<String, Function<Request, Integer>> behaviours = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  public Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A path answering what {@code behaviour} says (given the request, before it is recorded). */
  public String endpoint(String name, List<String> secrets, Function<Request, Integer> behaviour) {
    this.secrets.put("/" + name, List.copyOf(secrets));
    behaviours.put("/" + name, behaviour);
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "?token=not-for-logs";
  }

  public void behave(String name, Function<Request, Integer> behaviour) {
    behaviours.put("/" + name, behaviour);
  }

  /** Requests to {@code name}, in arrival order. */
  public List<Request> requests(String name) {
    return requests.stream().filter(r -> r.path().equals("/" + name)).toList();
  }

  /** Requests to {@code name} that were answered with 2xx. */
  public List<Request> delivered(String name) {
    return requests(name).stream().filter(r -> r.answered() / 100 == 2).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      String path = exchange.getRequestURI().getPath();
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      var headers = exchange.getRequestHeaders();
      List<Boolean> verified = new ArrayList<>();
      for (String secret : secrets.getOrDefault(path, List.of())) {
        verified.add(verifies(secret, body, headers));
      }
      var seen =
          new Request(
              path,
              headers.getFirst("webhook-id"),
              headers.getFirst("webhook-timestamp"),
              headers.getFirst("webhook-signature"),
              body,
              verified,
              0);
      int status = behaviours.getOrDefault(path, r -> 404).apply(seen);
      requests.add(
          new Request(
              path, seen.webhookId(), seen.timestamp(), seen.signature(), body, verified, status));
      exchange.sendResponseHeaders(status, -1);
    } finally {
      exchange.close();
    }
  }

  private static boolean verifies(String secret, String body, Map<String, List<String>> headers) {
    try {
      new Webhook(secret).verify(body, headers);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}

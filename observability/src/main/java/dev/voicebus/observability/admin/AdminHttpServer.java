package dev.voicebus.observability.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A service's admin port on the JDK's built-in HTTP server: {@code GET /healthz} (liveness), {@code
 * GET /readyz} (readiness) with 200 or 503 and the reason, and {@code GET /metrics} in the
 * Prometheus text format. Kept off the service's own traffic port so probes and scrapes reach it
 * without exposing it publicly. One daemon thread answers every request.
 */
public final class AdminHttpServer implements AutoCloseable {

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  public AdminHttpServer(AdminEndpoints endpoints) {
    try {
      server = HttpServer.create(new InetSocketAddress(endpoints.host(), endpoints.port()), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          endpoints.portSetting()
              + "="
              + endpoints.port()
              + " cannot be bound on "
              + endpoints.host()
              + ": "
              + e.getMessage(),
          e);
    }
    server.createContext("/healthz", exchange -> check(exchange, endpoints.liveness(), "ok"));
    server.createContext("/readyz", exchange -> check(exchange, endpoints.readiness(), "ready"));
    server.createContext(
        "/metrics",
        exchange -> {
          if (allowed(exchange)) {
            respond(exchange, 200, PROMETHEUS_TEXT, endpoints.registry().scrape());
          }
        });
    server.createContext("/", exchange -> respond(exchange, 404, TEXT, "not found\n"));
    executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "admin-http-" + endpoints.portSetting());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.start();
  }

  /** The bound port (the ephemeral one when configured as 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void check(HttpExchange exchange, HealthCheck check, String okText)
      throws IOException {
    if (!allowed(exchange)) {
      return;
    }
    Optional<String> problem;
    try {
      problem = check.problem();
    } catch (RuntimeException e) {
      problem = Optional.of("check failed: " + e);
    }
    if (problem.isPresent()) {
      respond(exchange, 503, TEXT, problem.get() + "\n");
    } else {
      respond(exchange, 200, TEXT, okText + "\n");
    }
  }

  /** Exact paths only, GET (or HEAD) only; answers otherwise and returns false. */
  private static boolean allowed(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
      respond(exchange, 404, TEXT, "not found\n");
      return false;
    }
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      respond(exchange, 405, TEXT, "GET only\n");
      return false;
    }
    return true;
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

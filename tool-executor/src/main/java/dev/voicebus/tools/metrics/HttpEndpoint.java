package dev.voicebus.tools.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The executor's small HTTP port: {@code GET /metrics} in Prometheus text format and {@code GET
 * /healthz} (200 {@code ok} while the consumer loop runs, 503 {@code down: <reason>} otherwise,
 * e.g. while a dead loop waits to be restarted).
 */
public final class HttpEndpoint implements AutoCloseable {

  private final HttpServer server;

  public HttpEndpoint(
      String host, int port, PrometheusMeterRegistry registry, Supplier<Optional<String>> problem) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "tool-executor.http-host/http-port="
              + host
              + ":"
              + port
              + " cannot be bound: "
              + e.getMessage(),
          e);
    }
    server.createContext(
        "/metrics",
        exchange ->
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.createContext(
        "/healthz",
        exchange -> {
          Optional<String> down = problem.get();
          respond(
              exchange,
              down.isEmpty() ? 200 : 503,
              "text/plain; charset=utf-8",
              down.map(reason -> "down: " + reason + "\n").orElse("ok\n"));
        });
    server.start();
  }

  /** The bound port (useful when configured as an ephemeral port in tests). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

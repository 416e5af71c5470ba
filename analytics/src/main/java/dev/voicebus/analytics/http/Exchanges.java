package dev.voicebus.analytics.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writing answers: JSON bodies, errors as {@code {"status":..,"error":".."}}, relayed bodies. */
final class Exchanges {

  static final String JSON = "application/json; charset=utf-8";

  private Exchanges() {}

  static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    send(exchange, status, JSON, ApiJson.write(body));
  }

  static void error(HttpExchange exchange, int status, String reason) throws IOException {
    json(exchange, status, ApiJson.error(status, reason));
  }

  static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }
}

package dev.voicebus.realtime.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.SSLContext;

/**
 * A small HTTP(S) server on 127.0.0.1 for the calls API client: records each request (method, path,
 * headers, body) and answers it with the response set for its path (200 with an empty body by
 * default), the way OpenAI answers.
 */
final class TestHttpServer implements AutoCloseable {

  /** One request as the server saw it. */
  record Request(String method, String path, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  record Response(int status, String body) {}

  final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private final Map<String, Response> responses = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final boolean secure;

  TestHttpServer() throws IOException {
    this(null);
  }

  TestHttpServer(SSLContext tls) throws IOException {
    secure = tls != null;
    if (tls == null) {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } else {
      HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** The WebSocket base URI a client config takes, e.g. {@code ws://127.0.0.1:1234/v1}. */
  URI webSocketBase() {
    return URI.create(
        (secure ? "wss" : "ws") + "://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  void respond(String path, int status, String body) {
    responses.put(path, new Response(status, body));
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, String> headers = new ConcurrentHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
    String path = exchange.getRequestURI().getRawPath();
    requests.add(new Request(exchange.getRequestMethod(), path, headers, body));
    Response response = responses.getOrDefault(path, new Response(200, ""));
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    if (!response.body().isEmpty()) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
    }
    exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

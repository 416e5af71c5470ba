package dev.voicebus.analytics.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves the web console: the static files under {@code console/} in the service's jar (plain HTML,
 * CSS and ES modules; nothing is built or fetched at run time). The files need no token; everything
 * they show comes from the API, which does.
 */
final class ConsoleResources {

  static final String PREFIX = "/console/";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.[a-z]+");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "json", "application/json; charset=utf-8");

  void serve(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/console")) {
      redirect(exchange, PREFIX);
      return;
    }
    String file = path.substring(PREFIX.length());
    if (file.isEmpty()) {
      file = "index.html";
    }
    String extension = file.substring(file.lastIndexOf('.') + 1);
    if (!SAFE.matcher(file).matches() || !TYPES.containsKey(extension)) {
      throw HttpError.notFound("no console file " + Params.clip(file));
    }
    try (InputStream in =
        ConsoleResources.class.getClassLoader().getResourceAsStream("console/" + file)) {
      if (in == null) {
        throw HttpError.notFound("no console file " + Params.clip(file));
      }
      byte[] bytes = in.readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", TYPES.get(extension));
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange
          .getResponseHeaders()
          .set(
              "Content-Security-Policy",
              "default-src 'self'; connect-src 'self' ws: wss:; media-src 'self' blob:;"
                  + " img-src 'self' data:; style-src 'self'; script-src 'self'");
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        if (!head) {
          out.write(bytes);
        }
      }
    }
  }

  static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }
}

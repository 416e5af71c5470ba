package dev.voicebus.analytics.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.voicebus.analytics.config.AnalyticsConfig;
import dev.voicebus.analytics.live.CallEvents;
import dev.voicebus.analytics.live.LiveTranscripts;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query API and the web console on {@code analytics.port}, on the JDK's HTTP server with a
 * bounded pool of {@code analytics.http-threads} (event streams hold a thread each, at most {@code
 * analytics.max-event-streams}). Bound first, so the port is known when Kafka Streams is told where
 * this instance answers ({@code application.server}); routes are installed by {@link #start}.
 */
public final class ApiServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  private final AnalyticsConfig config;
  private final HttpServer server;
  private final ExecutorService executor;
  private final ApiMetrics metrics;

  public ApiServer(AnalyticsConfig config, MeterRegistry registry) {
    this.config = config;
    var listen = config.listen();
    try {
      server = HttpServer.create(new InetSocketAddress(listen.host(), listen.port()), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "analytics.port="
              + listen.port()
              + " cannot be bound on "
              + listen.host()
              + ": "
              + e.getMessage(),
          e);
    }
    AtomicInteger threads = new AtomicInteger();
    executor =
        Executors.newFixedThreadPool(
            listen.httpThreads(),
            r -> {
              Thread thread = new Thread(r, "analytics-http-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    metrics = new ApiMetrics(registry);
  }

  /** The bound port (the ephemeral one when configured as 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Installs the routes over {@code streams} (whose {@code application.server} is {@code self}).
   */
  public void start(KafkaStreams streams, HostInfo self, CallEvents events, LiveTranscripts live) {
    var cluster = new Cluster(streams, self);
    var auth = new ApiAuth(config.access());
    var calls = new CallsApi(cluster, live);
    var usage = new UsageApi(cluster, calls);
    var eventStreams =
        new EventStreamApi(cluster, calls, events, live, config.listen().maxEventStreams());
    var console = new ConsoleResources();
    metrics.bindEventStreams(events);
    server.createContext(
        "/v1/",
        exchange ->
            handle(exchange, "api", () -> route(exchange, auth, calls, usage, eventStreams)));
    server.createContext(
        "/console", exchange -> handle(exchange, "console", () -> console.serve(exchange)));
    server.createContext(
        "/",
        exchange ->
            handle(
                exchange,
                "root",
                () -> {
                  if (!exchange.getRequestURI().getPath().equals("/")) {
                    throw HttpError.notFound("no endpoint " + exchange.getRequestURI().getPath());
                  }
                  ConsoleResources.redirect(exchange, ConsoleResources.PREFIX);
                }));
    server.start();
    log.info("Analytics API and console on port {}", port());
  }

  /** One step of answering; may throw {@link HttpError}. */
  private interface Step {
    void run() throws IOException, InterruptedException;
  }

  private void handle(HttpExchange exchange, String area, Step step) {
    try {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        throw new HttpError(405, "only GET is supported");
      }
      step.run();
      metrics.answered(area, exchange.getResponseCode());
    } catch (HttpError e) {
      answerError(exchange, area, e.status(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      log.debug("Client went away: {}", e.toString());
    } catch (RuntimeException e) {
      log.error("Failed to answer {}", exchange.getRequestURI().getPath(), e);
      answerError(exchange, area, 500, "internal error: " + e.getClass().getSimpleName());
    } finally {
      exchange.close();
    }
  }

  private void answerError(HttpExchange exchange, String area, int status, String reason) {
    metrics.answered(area, status);
    if (exchange.getResponseCode() != -1) {
      return; // headers already sent (a stream broke): nothing more to say
    }
    try {
      Exchanges.error(exchange, status, reason);
    } catch (IOException ignored) {
      // The client is gone.
    }
  }

  private void route(
      HttpExchange exchange, ApiAuth auth, CallsApi calls, UsageApi usage, EventStreamApi streams)
      throws IOException, InterruptedException {
    String path = exchange.getRequestURI().getRawPath();
    String[] parts = path.substring(1).split("/", -1);
    if (path.equals("/v1/console/config")) {
      var body = ApiJson.object();
      body.put("streamUrl", config.consoleStreamUrl().map(Object::toString).orElse(null));
      Exchanges.json(exchange, 200, body);
      return;
    }
    Principal principal = auth.authenticate(exchange);
    if (path.equals("/v1/whoami")) {
      var body = ApiJson.object();
      if (principal instanceof Principal.Tenant tenant) {
        body.put("tenant", tenant.tenant()).put("admin", false);
      } else {
        body.putNull("tenant").put("admin", true);
      }
      Exchanges.json(exchange, 200, body);
    } else if (parts.length == 2 && parts[1].equals("calls")) {
      calls.list(exchange, principal);
    } else if (parts.length == 3 && parts[1].equals("calls") && parts[2].equals("live")) {
      calls.live(exchange, principal);
    } else if (parts.length == 3 && parts[1].equals("calls") && !parts[2].isEmpty()) {
      calls.one(exchange, principal, segment(parts[2]));
    } else if (parts.length == 4 && parts[1].equals("calls") && parts[3].equals("events")) {
      streams.stream(exchange, principal, segment(parts[2]));
    } else if (parts.length == 4 && parts[1].equals("tenants") && parts[3].equals("usage")) {
      usage.usage(exchange, principal, segment(parts[2]));
    } else {
      throw HttpError.notFound("no endpoint " + Params.clip(path));
    }
  }

  private static String segment(String raw) {
    String value = URLDecoder.decode(raw, StandardCharsets.UTF_8);
    if (value.isBlank() || value.length() > 200) {
      throw HttpError.badRequest("path segment '" + Params.clip(value) + "' is invalid");
    }
    return value;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

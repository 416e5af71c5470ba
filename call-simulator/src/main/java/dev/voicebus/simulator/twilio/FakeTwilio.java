package dev.voicebus.simulator.twilio;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.TwilioCallSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for Twilio's REST API ({@code ingest.twilio.api-base-url}), for tests and local
 * trials, that checks what Twilio would: the account in the path exists, HTTP basic auth with that
 * account's SID and auth token, a form-encoded body, and well-formed TwiML. It serves {@code POST
 * /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json} (a {@code <Dial>} TwiML or {@code
 * Status=completed} ends the call's Media Stream, as Twilio does) and {@code POST .../Calls.json}
 * (it places the call and, once "answered", opens a simulated Media Stream to the TwiML's {@code
 * <Stream url>} with the account's signature). Every request is recorded; {@link #failNext} makes
 * the next call request fail with Twilio's error JSON. Calls it did not place are made known with
 * {@link #attach} or placed through a voice webhook with {@link FakeCalls#dialIn}.
 */
public final class FakeTwilio implements AutoCloseable {

  /**
   * One request as the fake received it ({@link System#nanoTime()} of its arrival), and the status
   * it answered.
   */
  public record Request(
      String path,
      String accountSid,
      Optional<String> callSid,
      Map<String, String> form,
      int status,
      long receivedAtNanos) {
    public Request {
      form = Map.copyOf(form);
    }
  }

  /** An error answer in Twilio's shape: {@code {"code":..,"message":..,"status":..}}. */
  public record Failure(int status, int code, String message) {}

  private static final Pattern PATH =
      Pattern.compile("/2010-04-01/Accounts/([^/]+)/Calls(?:/([^/]+))?\\.json");

  private final Map<String, String> accounts;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final FakeCalls calls;
  private final List<Request> requests = new ArrayList<>();
  private final Deque<Failure> failures = new ArrayDeque<>();

  private FakeTwilio(Map<String, String> accounts, TwilioCallSimulator simulator)
      throws IOException {
    this.accounts = Map.copyOf(accounts);
    this.calls = new FakeCalls(simulator, this.accounts);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
  }

  /**
   * Starts the fake on a free loopback port for {@code accounts} (account SID to auth token);
   * streams it opens go through {@code simulator}.
   */
  public static FakeTwilio start(Map<String, String> accounts, TwilioCallSimulator simulator)
      throws IOException {
    var fake = new FakeTwilio(accounts, simulator);
    fake.server.start();
    return fake;
  }

  /** The base URL to configure as {@code ingest.twilio.api-base-url}. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The calls: placing inbound ones through a webhook, the outbound ones answered, the dialed. */
  public FakeCalls calls() {
    return calls;
  }

  /** Makes an inbound call Twilio is streaming known, so it can be updated. */
  public void attach(SimulatedCall call) {
    calls.attach(call);
  }

  /** The next call request (update or create) answers {@code failure}; queued in order. */
  public synchronized void failNext(Failure failure) {
    failures.add(failure);
  }

  /** Every request so far, in order. */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** How long an outbound call rings before it is answered (default 100 ms). */
  public void answerAfter(Duration delay) {
    calls.answerAfter(delay);
  }

  /**
   * When set, a call's stream is stopped before the answer to its update is sent (Twilio does not
   * promise an order).
   */
  public void stopStreamBeforeAnswering(boolean first) {
    calls.stopStreamFirst(first);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      long receivedAt = System.nanoTime();
      String path = exchange.getRequestURI().getRawPath();
      Matcher m = PATH.matcher(path);
      byte[] body = readBody(exchange.getRequestBody());
      Answer answer;
      Map<String, String> form = Map.of();
      if (!exchange.getRequestMethod().equals("POST")) {
        answer = Answer.error(405, 20004, "Method not allowed");
      } else if (!m.matches() || !accounts.containsKey(m.group(1))) {
        answer = Answer.error(404, 20404, "The requested resource " + path + " was not found");
      } else if (!authorized(exchange, m.group(1))) {
        answer = Answer.error(401, 20003, "Authenticate");
      } else if (!formEncoded(exchange)) {
        answer = Answer.error(400, 20001, "Content-Type must be application/x-www-form-urlencoded");
      } else {
        form = decode(new String(body, StandardCharsets.UTF_8));
        answer = answer(m.group(1), Optional.ofNullable(m.group(2)), form);
      }
      String sid = m.matches() ? m.group(1) : "";
      Optional<String> callSid = m.matches() ? Optional.ofNullable(m.group(2)) : Optional.empty();
      synchronized (this) {
        requests.add(new Request(path, sid, callSid, form, answer.status(), receivedAt));
      }
      byte[] json = answer.json().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), json.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(json);
      }
      answer.afterwards().run();
    }
  }

  private Answer answer(String accountSid, Optional<String> callSid, Map<String, String> form) {
    Failure failure;
    synchronized (this) {
      failure = failures.poll();
    }
    if (failure != null) {
      return Answer.error(failure.status(), failure.code(), failure.message());
    }
    return callSid.isPresent()
        ? calls.update(accountSid, callSid.get(), form)
        : calls.create(accountSid, form);
  }

  private boolean authorized(HttpExchange exchange, String accountSid) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.startsWith("Basic ")) {
      return false;
    }
    String pair;
    try {
      pair = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    String expected = accountSid + ":" + accounts.get(accountSid);
    return MessageDigest.isEqual(
        pair.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean formEncoded(HttpExchange exchange) {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    return type != null && type.startsWith("application/x-www-form-urlencoded");
  }

  private static byte[] readBody(InputStream in) throws IOException {
    return in.readNBytes(64 * 1024);
  }

  /** A form body as Twilio reads it (one value per name; the last wins). */
  static Map<String, String> decode(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      form.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return form;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    calls.close();
  }

  /** What to answer, and what to do once the answer is sent. */
  record Answer(int status, String json, Runnable afterwards) {

    static Answer error(int status, int code, String message) {
      return new Answer(
          status,
          "{\"code\":"
              + code
              + ",\"message\":"
              + Json.quote(message)
              + ",\"more_info\":\"https://www.twilio.com/docs/errors/"
              + code
              + "\",\"status\":"
              + status
              + "}",
          () -> {});
    }
  }

  /** Enough JSON writing for the fake's answers. */
  static final class Json {
    private Json() {}

    static String quote(String text) {
      var out = new StringBuilder("\"");
      for (char c : text.toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          default -> {
            if (c < 0x20) {
              out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      return out.append('"').toString();
    }
  }
}

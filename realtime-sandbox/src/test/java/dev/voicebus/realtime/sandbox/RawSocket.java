package dev.voicebus.realtime.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A plain JDK WebSocket for tests that must send what the typed client refuses to (invalid session
 * updates, the beta header): raw JSON out, parsed JSON trees in.
 */
public final class RawSocket implements WebSocket.Listener, AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  /** Connects to {@code wsBase}/realtime?model=gpt-realtime with the given headers. */
  public static RawSocket open(URI wsBase, Map<String, String> headers) throws Exception {
    RawSocket raw = new RawSocket();
    WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
    headers.forEach(b::header);
    raw.socket =
        b.buildAsync(URI.create(wsBase + "/realtime?model=gpt-realtime"), raw)
            .get(10, TimeUnit.SECONDS);
    return raw;
  }

  public void send(String json) {
    socket.sendText(json, true).join();
  }

  /** Waits for the first event of {@code type} and returns it. */
  public JsonNode awaitEvent(String type) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> events.stream().filter(e -> type.equals(e.path("type").asText())).findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  /** Waits for the {@code n}th (1-based) event of {@code type}. */
  public JsonNode awaitNth(String type, int n) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> events.stream().filter(e -> type.equals(e.path("type").asText())).count() >= n);
    return events.stream()
        .filter(e -> type.equals(e.path("type").asText()))
        .skip(n - 1L)
        .findFirst()
        .orElseThrow();
  }

  public List<JsonNode> events() {
    return List.copyOf(events);
  }

  public CompletableFuture<Integer> closeCode() {
    return closeCode;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      try {
        events.add(MAPPER.readTree(partial.toString()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      partial.setLength(0);
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closeCode.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closeCode.completeExceptionally(error);
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
    socket.abort();
  }
}

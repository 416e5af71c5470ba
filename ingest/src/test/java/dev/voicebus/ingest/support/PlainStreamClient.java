package dev.voicebus.ingest.support;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A client of the plain WebSocket stream, on the JDK's own WebSocket implementation. */
public final class PlainStreamClient implements WebSocket.Listener {

  /** The close code and reason the server sent. */
  public record Closed(int code, String reason) {}

  private final List<String> texts = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  public static PlainStreamClient connect(URI uri, String bearer) throws Exception {
    var client = new PlainStreamClient();
    var builder = HttpClient.newHttpClient().newWebSocketBuilder();
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    client.socket = builder.buildAsync(uri, client).get(10, TimeUnit.SECONDS);
    return client;
  }

  public void text(String json) throws Exception {
    socket.sendText(json, true).get(5, TimeUnit.SECONDS);
  }

  public void binary(byte[] bytes) throws Exception {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).get(5, TimeUnit.SECONDS);
  }

  public List<String> texts() {
    return List.copyOf(texts);
  }

  public synchronized byte[] receivedAudio() {
    return binary.toByteArray();
  }

  public CompletableFuture<Closed> closed() {
    return closed;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      texts.add(partial.toString());
      partial.setLength(0);
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    synchronized (this) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      binary.writeBytes(bytes);
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closed.complete(new Closed(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closed.complete(new Closed(1006, String.valueOf(error.getMessage())));
  }
}

package dev.voicebus.realtime.sandbox;

import static org.awaitility.Awaitility.await;

import dev.voicebus.realtime.client.CloseStatus;
import dev.voicebus.realtime.client.RealtimeClient;
import dev.voicebus.realtime.client.RealtimeConnection;
import dev.voicebus.realtime.client.RealtimeListener;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ServerEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One session opened with the project's Realtime client, recording every typed server event so a
 * test can wait for the next event of a type, in order, without sleeping.
 */
public final class ClientSession implements RealtimeListener, AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final List<ServerEvent> events = new CopyOnWriteArrayList<>();
  private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private RealtimeConnection connection;
  private int cursor;

  public static ClientSession open(RealtimeClient client) throws Exception {
    ClientSession s = new ClientSession();
    s.connection = client.connect("gpt-realtime", s).get(10, TimeUnit.SECONDS);
    return s;
  }

  /** Attaches a sideband socket to the SIP call {@code callId} ({@code ?call_id=}). */
  public static ClientSession attach(RealtimeClient client, String callId) throws Exception {
    ClientSession s = new ClientSession();
    s.connection = client.attach(callId, s).get(10, TimeUnit.SECONDS);
    return s;
  }

  public void send(ClientEvent event) {
    connection.send(event).join();
  }

  /** Waits for the next event of {@code type} after the previous match and moves past it. */
  public <T extends ServerEvent> T next(Class<T> type) {
    int[] found = new int[1];
    await()
        .atMost(WAIT)
        .until(
            () -> {
              for (int i = cursor; i < events.size(); i++) {
                if (type.isInstance(events.get(i))) {
                  found[0] = i;
                  return true;
                }
              }
              return false;
            });
    cursor = found[0] + 1;
    return type.cast(events.get(found[0]));
  }

  /** The first event of {@code type} anywhere in the session, waiting for it. */
  public <T extends ServerEvent> T first(Class<T> type) {
    return await().atMost(WAIT).until(() -> find(type), Optional::isPresent).orElseThrow();
  }

  private <T extends ServerEvent> Optional<T> find(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /** All events of {@code type} received so far. */
  public <T extends ServerEvent> List<T> all(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  public List<ServerEvent> events() {
    return List.copyOf(events);
  }

  public String sessionId() {
    return first(ServerEvent.SessionCreated.class).session().id();
  }

  /** Completes when the socket closed, with the close code (1006 for an abrupt drop). */
  public CompletableFuture<CloseStatus> closed() {
    return closed;
  }

  public List<Throwable> errors() {
    return List.copyOf(errors);
  }

  @Override
  public void onEvent(ServerEvent event) {
    events.add(event);
  }

  @Override
  public void onClose(int code, String reason) {
    closed.complete(new CloseStatus(code, reason));
  }

  @Override
  public void onError(Throwable error) {
    errors.add(error);
  }

  @Override
  public void close() {
    if (connection != null && connection.isOpen()) {
      connection.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
  }
}

package dev.voicebus.ingest.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls a node's {@code /readyz} every 50 ms for the length of a test and keeps every answer that
 * was not 200, so a test can assert that hostile input never made the node unready.
 */
public final class ReadinessWatch implements AutoCloseable {

  private final HttpClient http = HttpClient.newHttpClient();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
  private final List<String> notReady = new CopyOnWriteArrayList<>();
  private volatile int polls;

  public ReadinessWatch(URI readyz) {
    var request = HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build();
    poller.scheduleWithFixedDelay(
        () -> {
          try {
            HttpResponse<String> response =
                http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
              notReady.add(response.statusCode() + " " + response.body().trim());
            }
          } catch (Exception e) {
            notReady.add(e.toString());
          } finally {
            polls++;
          }
        },
        0,
        50,
        TimeUnit.MILLISECONDS);
  }

  /** Every non-200 answer (or failed poll) so far. */
  public List<String> notReady() {
    return List.copyOf(notReady);
  }

  public int polls() {
    return polls;
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}

package dev.voicebus.analytics.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.voicebus.analytics.live.CallEvents;
import dev.voicebus.analytics.live.LiveTranscripts;
import dev.voicebus.analytics.topology.AnalyticsStores;
import dev.voicebus.avro.CallRecord;
import dev.voicebus.avro.CallStatus;
import dev.voicebus.avro.TranscriptEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.apache.kafka.streams.state.HostInfo;

/**
 * {@code GET /v1/calls/{callId}/events}: a call's updates as server-sent events, from the instance
 * that owns the call (another instance relays the stream). First {@code event: call} with the
 * document, then {@code call} at each change and {@code transcript} for each transcript record
 * (deltas included) as they arrive, a comment every 15 s to keep proxies from closing the
 * connection, and {@code event: end} once the call is ENDED. A stream that cannot keep up is
 * closed; the client reconnects ({@code retry: 2000}) and starts from the current document. A call
 * that is not known yet is waited for up to {@value #WAIT_SECONDS} s, so a client can subscribe as
 * soon as ingest has given it the call id.
 */
final class EventStreamApi {

  static final int WAIT_SECONDS = 10;
  private static final long KEEP_ALIVE_MS = 15_000;

  private final Cluster cluster;
  private final CallsApi calls;
  private final CallEvents events;
  private final LiveTranscripts live;
  private final Semaphore streams;

  EventStreamApi(
      Cluster cluster, CallsApi calls, CallEvents events, LiveTranscripts live, int maxStreams) {
    this.cluster = cluster;
    this.calls = calls;
    this.events = events;
    this.live = live;
    this.streams = new Semaphore(maxStreams);
  }

  void stream(HttpExchange exchange, Principal principal, String callId)
      throws IOException, InterruptedException {
    new Params(exchange.getRequestURI()).allowOnly();
    if (!streams.tryAcquire()) {
      throw HttpError.unavailable("too many event streams open (analytics.max-event-streams)");
    }
    try {
      Optional<HostInfo> owner = cluster.owner(AnalyticsStores.CALLS, callId);
      if (owner.isPresent()) {
        relay(exchange, owner.get());
      } else {
        serve(exchange, principal, callId);
      }
    } finally {
      streams.release();
    }
  }

  private void serve(HttpExchange exchange, Principal principal, String callId)
      throws IOException, InterruptedException {
    try (CallEvents.Subscription subscription = events.subscribe(callId)) {
      CallRecord doc = awaitDocument(principal, callId);
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        write(out, "retry: 2000\n\n");
        writeDocument(out, doc);
        boolean ended = doc.getStatus() == CallStatus.ENDED;
        while (!ended && !subscription.overflowed()) {
          CallEvents.Event event = subscription.next(KEEP_ALIVE_MS);
          if (event == null) {
            write(out, ": keep-alive\n\n");
          } else if (event instanceof CallEvents.DocumentChanged changed) {
            writeDocument(out, changed.document());
            ended = changed.document().getStatus() == CallStatus.ENDED;
          } else if (event instanceof CallEvents.TranscriptRecord record) {
            write(
                out,
                "event: transcript\ndata: "
                    + ApiJson.write(transcript(record.transcript()))
                    + "\n\n");
          }
        }
        if (ended) {
          write(out, "event: end\ndata: {}\n\n");
        }
      } catch (IOException clientGone) {
        // The client closed the stream; nothing to answer.
      }
    }
  }

  private CallRecord awaitDocument(Principal principal, String callId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(WAIT_SECONDS).toNanos();
    while (true) {
      try {
        return calls.visible(principal, callId);
      } catch (HttpError e) {
        if (e.status() != 404 || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private void writeDocument(OutputStream out, CallRecord doc) throws IOException {
    write(out, "event: call\ndata: " + ApiJson.write(ApiJson.document(doc, live)) + "\n\n");
  }

  private static ObjectNode transcript(TranscriptEvent event) {
    ObjectNode node = ApiJson.object();
    node.put("itemId", event.getItemId());
    node.put("speaker", event.getRole().name());
    node.put("kind", event.getKind().name());
    node.put("text", event.getText());
    node.put("interrupted", event.getInterrupted());
    node.put("at", event.getAt().toString());
    return node;
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void relay(HttpExchange exchange, HostInfo owner) throws IOException {
    if (Cluster.forwarded(exchange)) {
      throw HttpError.unavailable("the call's owner is moving between instances; retry");
    }
    HttpResponse<InputStream> response =
        cluster.stream(exchange, owner, exchange.getRequestURI().getRawPath());
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        Exchanges.send(
            exchange,
            response.statusCode(),
            Exchanges.JSON,
            new String(in.readAllBytes(), StandardCharsets.UTF_8));
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException clientGone) {
        // Either side closed: the stream is over.
      }
    }
  }
}

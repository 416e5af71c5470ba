package dev.voicebus.realtime.sandbox.sip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.realtime.sandbox.protocol.EventSink;
import dev.voicebus.realtime.sandbox.protocol.SessionOptions;
import dev.voicebus.realtime.sandbox.protocol.SessionRecord;
import dev.voicebus.realtime.webhook.WebhookSecret;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's OpenAI SIP side: places simulated inbound calls (each pinned to one event loop of
 * the sandbox), signs and delivers their webhooks, answers the calls API for them, attaches
 * sideband sockets, and keeps the most recent ended calls (up to {@value #MAX_ENDED}) for tests to
 * inspect. Thread-safe.
 */
public final class SipEmulator {
  private static final Logger LOG = LoggerFactory.getLogger(SipEmulator.class);
  private static final int MAX_ENDED = 1000;

  /** Where SIP calls' sessions are registered, so the sandbox lists them with the others. */
  public interface Sessions {
    void opened(SessionRecord record, EventSink sink);

    void closed(SessionRecord record);
  }

  private final SessionOptions options;
  private final EventLoopGroup loops;
  private final Sessions sessions;
  private final int recordCap;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final Map<String, SipCall> calls = new ConcurrentHashMap<>();
  private final ConcurrentLinkedDeque<String> ended = new ConcurrentLinkedDeque<>();
  private final AtomicInteger endedCount = new AtomicInteger();
  private volatile SipSettings settings;

  public SipEmulator(
      SipSettings settings,
      SessionOptions options,
      EventLoopGroup loops,
      Sessions sessions,
      int recordCap) {
    this.options = options;
    this.loops = loops;
    this.sessions = sessions;
    this.recordCap = recordCap;
    this.settings =
        settings.webhookSecret() == null
            ? settings.withWebhook(settings.webhookUrl(), WebhookSecret.generate())
            : settings;
  }

  /**
   * Sends the webhooks of calls placed from now on to {@code url}, signed with {@code secret} (what
   * a project's webhook settings hold).
   */
  public void deliverWebhooksTo(URI url, WebhookSecret secret) {
    settings = settings.withWebhook(url, secret);
    LOG.info("SIP webhooks go to {}", url);
  }

  /** The current settings; their secret is the one webhooks are signed with. */
  public SipSettings settings() {
    return settings;
  }

  /**
   * Places a simulated inbound call: it rings, and its {@code realtime.call.incoming} webhook goes
   * out at once.
   *
   * @throws IllegalArgumentException for an unknown scenario
   * @throws IllegalStateException when no webhook URL is configured
   */
  public SipCallView placeCall(SipCallRequest request) {
    SipSettings current = settings;
    if (current.webhookUrl() == null) {
      throw new IllegalStateException(
          "no SIP webhook URL is configured (SANDBOX_SIP_WEBHOOK_URL, or"
              + " RealtimeSandbox.sip().deliverWebhooksTo)");
    }
    if (request.scenario() != null && options.scenarios().named(request.scenario()).isEmpty()) {
      throw new IllegalArgumentException(
          "Unknown scenario '" + request.scenario() + "'; known: " + options.scenarios().names());
    }
    SipCall call = new SipCall(request, loops.next(), this, current);
    calls.put(call.callId(), call);
    WebhookDelivery delivery =
        new WebhookDelivery(http, call, current.webhookUrl(), current.webhookSecret(), current);
    call.loop().execute(() -> call.ring(delivery));
    LOG.info(
        "{}: simulated call from {} to {} rings (webhook {})",
        call.callId(),
        request.from(),
        request.to(),
        call.webhookId());
    return call.view();
  }

  public Optional<SipCallView> call(String callId) {
    return Optional.ofNullable(calls.get(callId)).map(SipCall::view);
  }

  /** Live calls and the most recent ended ones. */
  public List<SipCallView> calls() {
    List<SipCallView> out = new ArrayList<>();
    calls.values().forEach(c -> out.add(c.view()));
    return out;
  }

  /**
   * One operation of the calls API ({@code accept}, {@code reject}, {@code refer}, {@code hangup})
   * on the call's event loop; completes with the HTTP answer.
   */
  public CompletableFuture<SipApiAnswer> api(String callId, String operation, JsonNode body) {
    SipCall call = calls.get(callId);
    if (call == null) {
      return CompletableFuture.completedFuture(SipApiAnswer.notFound(callId, "not found"));
    }
    CompletableFuture<SipApiAnswer> answer = new CompletableFuture<>();
    call.loop()
        .execute(
            () -> {
              try {
                answer.complete(
                    switch (operation) {
                      case "accept" -> call.accept(body);
                      case "reject" -> call.reject(body);
                      case "refer" -> call.refer(body);
                      case "hangup" -> call.hangup();
                      default -> throw new IllegalArgumentException("no operation " + operation);
                    });
              } catch (RuntimeException e) {
                answer.completeExceptionally(e);
              }
            });
    return answer;
  }

  /** True when a sideband socket may attach to {@code callId}: it exists and is accepted. */
  public boolean attachable(String callId) {
    SipCall call = calls.get(callId);
    return call != null && call.view().state() == SipCallState.ACCEPTED;
  }

  /**
   * Attaches {@code socket} to the call, on its event loop; when the call is no longer accepted by
   * then, {@code socket} is closed with 1000. Empty for an unknown call.
   */
  public Optional<SipAttachment> attach(String callId, EventSink socket) {
    SipCall call = calls.get(callId);
    if (call == null) {
      return Optional.empty();
    }
    call.loop()
        .execute(
            () -> {
              if (!call.attach(socket)) {
                socket.close(1000, "call ended");
              }
            });
    return Optional.of(new SipAttachment(call, socket));
  }

  SessionOptions options() {
    return options;
  }

  int recordCap() {
    return recordCap;
  }

  void sessionOpened(SessionRecord record, EventSink sink) {
    sessions.opened(record, sink);
  }

  void sessionClosed(SessionRecord record) {
    sessions.closed(record);
  }

  /** Keeps ended calls for inspection, forgetting the oldest beyond {@value #MAX_ENDED}. */
  void ended(SipCall call) {
    ended.addLast(call.callId());
    if (endedCount.incrementAndGet() > MAX_ENDED) {
      String oldest = ended.pollFirst();
      if (oldest != null) {
        endedCount.decrementAndGet();
        calls.remove(oldest);
      }
    }
  }
}

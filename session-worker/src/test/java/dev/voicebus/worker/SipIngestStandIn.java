package dev.voicebus.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.ReplyRoute;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.sip.SipCallRequest;
import dev.voicebus.realtime.webhook.WebhookSecret;
import dev.voicebus.schemas.topic.Topics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stands in for ingest's OpenAI webhook in the worker's SIP tests (ingest's own endpoint is tested
 * in ingest and end to end in the launcher): it takes the sandbox's {@code realtime.call.incoming}
 * on a real HTTP socket and publishes the CallStarted ingest would (source SIP, the OpenAI call id
 * as external call id). A test may choose the Voicebus call id of the next call, to pin it to a
 * partition.
 */
final class SipIngestStandIn implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WorkerHarness harness;
  private final HttpServer server;
  private final Map<String, String> callIds = new ConcurrentHashMap<>();
  private final AtomicReference<String> nextCallId = new AtomicReference<>();
  private final String profile;

  /** Receives the sandbox's webhooks and starts their calls with {@code profile}. */
  SipIngestStandIn(WorkerHarness harness, RealtimeSandbox sandbox, String profile)
      throws IOException {
    this.harness = harness;
    this.profile = profile;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/openai/webhook", this::webhook);
    server.start();
    sandbox
        .sip()
        .deliverWebhooksTo(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/openai/webhook"),
            WebhookSecret.generate());
  }

  /**
   * Places a simulated call with {@code scenario} and returns its Voicebus call id once its
   * CallStarted is published; {@code callId} is that id (null: derived from OpenAI's call id).
   */
  String placeCall(RealtimeSandbox sandbox, String scenario, String callId) {
    nextCallId.set(callId);
    var view =
        sandbox
            .sip()
            .placeCall(SipCallRequest.of("+15550100001", "+15550100000").withScenario(scenario));
    org.awaitility.Awaitility.await()
        .atMost(FaultChecks.WAIT)
        .until(() -> callIds.containsKey(view.callId()));
    return callIds.get(view.callId());
  }

  /** The OpenAI call id of Voicebus call {@code callId}. */
  String openAiCallId(String callId) {
    return callIds.entrySet().stream()
        .filter(e -> e.getValue().equals(callId))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  private void webhook(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode event = JSON.readTree(exchange.getRequestBody().readAllBytes());
      String openAiCallId = event.path("data").path("call_id").asText();
      if (!callIds.containsKey(openAiCallId)) {
        String chosen = nextCallId.getAndSet(null);
        String callId = chosen == null ? "sip-" + openAiCallId : chosen;
        harness.send(Topics.CALL_CONTROL, callId, new CallControl(started(callId, openAiCallId)));
        harness.flush();
        callIds.put(openAiCallId, callId);
      }
      byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private CallStarted started(String callId, String openAiCallId) {
    return CallStarted.newBuilder()
        .setCallId(callId)
        .setTenantId("acme")
        .setAgentProfile(profile)
        .setSource(CallSource.SIP)
        .setExternalCallId(openAiCallId)
        .setCodec(AudioCodec.PCMU)
        .setSampleRate(8000)
        .setCallerMetadata(Map.of("sip.from", "+15550100001", "sip.to", "+15550100000"))
        .setReplyRoute(new ReplyRoute(harness.catalogue.name(Topics.AUDIO_OUT), 0))
        .setStartedAt(Instant.now())
        .build();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

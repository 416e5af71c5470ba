package dev.voicebus.simulator.twilio;

import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.StreamRequest;
import dev.voicebus.simulator.TwilioCallSimulator;
import dev.voicebus.telephony.twilio.TwilioSignature;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * What Twilio does when a call comes in on a number whose voice webhook points at ingest: POSTs the
 * signed webhook form ({@code AccountSid}, {@code CallSid}, {@code From}, {@code To}, ...) to the
 * webhook, and, if the TwiML it answers connects a Media Stream, opens that stream as Twilio would
 * (signed over the TwiML's url, {@code start} with the call's CallSid and the TwiML's parameters).
 * Used by the fake Twilio and by {@code voicebus call --webhook}.
 */
public final class InboundDialer {

  /** Where a TwiML stream URL is connected to (through a tunnel, or as it is). */
  @FunctionalInterface
  public interface StreamRoute {
    StreamRequest route(TwimlDocument.Stream stream, String accountSid, String callSid);
  }

  private final TwilioCallSimulator simulator;
  private final Map<String, String> accounts;
  private final StreamRoute route;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** Streams go through {@code simulator}; {@code accounts} maps account SIDs to auth tokens. */
  public InboundDialer(
      TwilioCallSimulator simulator, Map<String, String> accounts, StreamRoute route) {
    this.simulator = simulator;
    this.accounts = Map.copyOf(accounts);
    this.route = route;
  }

  /** Streams connect to the TwiML's url itself. */
  public InboundDialer(TwilioCallSimulator simulator, Map<String, String> accounts) {
    this(
        simulator,
        accounts,
        (stream, accountSid, callSid) ->
            StreamRequest.of(
                URI.create(stream.url()),
                accounts.get(accountSid),
                accountSid,
                callSid,
                stream.parameters()));
  }

  /** Places {@code dial}; completes with the webhook's answer and the stream it connected. */
  public CompletableFuture<InboundCall> dial(InboundDial dial) {
    String token = accounts.get(dial.accountSid());
    if (token == null) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("no auth token for account " + dial.accountSid()));
    }
    String callSid = TwilioCallSimulator.newCallSid();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("AccountSid", dial.accountSid());
    form.put("ApiVersion", "2010-04-01");
    form.put("CallSid", callSid);
    form.put("CallStatus", "ringing");
    form.put("Called", dial.to());
    form.put("Caller", dial.from());
    form.put("Direction", "inbound");
    form.put("From", dial.from());
    form.put("To", dial.to());
    var request =
        HttpRequest.newBuilder(dial.webhook())
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header(TwilioSignature.HEADER, TwilioSignature.sign(token, dial.signedUrl(), form))
            .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenCompose(response -> answered(dial, callSid, response));
  }

  private CompletableFuture<InboundCall> answered(
      InboundDial dial, String callSid, HttpResponse<String> response) {
    Optional<TwimlDocument> twiml =
        response.statusCode() == 200
            ? Optional.of(TwimlDocument.parse(response.body()))
            : Optional.empty();
    if (twiml.isEmpty() || twiml.get().stream().isEmpty()) {
      return CompletableFuture.completedFuture(
          new InboundCall(
              callSid, response.statusCode(), response.body(), twiml, Optional.empty()));
    }
    CompletableFuture<SimulatedCall> stream =
        simulator.stream(route.route(twiml.get().stream().get(), dial.accountSid(), callSid));
    return stream.thenApply(
        call ->
            new InboundCall(
                callSid, response.statusCode(), response.body(), twiml, Optional.of(call)));
  }

  private static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}

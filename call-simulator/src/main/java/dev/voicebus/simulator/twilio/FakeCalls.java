package dev.voicebus.simulator.twilio;

import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.StreamRequest;
import dev.voicebus.simulator.TwilioCallSimulator;
import dev.voicebus.simulator.twilio.FakeTwilio.Answer;
import dev.voicebus.telephony.twilio.Twiml;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The calls of the {@link FakeTwilio}: those it placed (answered after a ring by opening their
 * Media Stream), those that came in through a voice webhook ({@link #dialIn}), and what became of
 * them: the target a {@code <Dial>} moved them to, or completed. Ending a call stops its stream
 * ({@code stop}, then the socket closes), as Twilio does.
 */
public final class FakeCalls {

  /** An outbound call as the fake placed it. */
  public record Placed(
      String callSid,
      String accountSid,
      String to,
      String from,
      TwimlDocument twiml,
      Optional<String> machineDetection) {}

  private static final Set<String> MACHINE_DETECTION = Set.of("Enable", "DetectMessageEnd");

  private final TwilioCallSimulator simulator;
  private final Map<String, String> accounts;
  private final Map<String, CompletableFuture<SimulatedCall>> streams = new ConcurrentHashMap<>();
  private final Map<String, String> dialed = new ConcurrentHashMap<>();
  private final List<Placed> placed = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private volatile Duration answerDelay = Duration.ofMillis(100);
  private volatile boolean stopStreamFirst;
  private final Map<String, String> tunnels = new ConcurrentHashMap<>();

  FakeCalls(TwilioCallSimulator simulator, Map<String, String> accounts) {
    this.simulator = simulator;
    this.accounts = accounts;
  }

  void answerAfter(Duration delay) {
    answerDelay = delay;
  }

  void stopStreamFirst(boolean first) {
    stopStreamFirst = first;
  }

  /**
   * Streams to URLs starting with {@code publicBase} (e.g. {@code wss://voice.example.com}) connect
   * to {@code localBase} instead (e.g. {@code ws://127.0.0.1:8080}), still signed over the public
   * URL: what a tunnel or TLS proxy in front of ingest does.
   */
  public void tunnel(String publicBase, String localBase) {
    tunnels.put(publicBase, localBase);
  }

  StreamRequest streamRequest(TwimlDocument.Stream stream, String accountSid, String callSid) {
    var request =
        StreamRequest.of(
            URI.create(stream.url()),
            accounts.get(accountSid),
            accountSid,
            callSid,
            stream.parameters());
    for (var tunnel : tunnels.entrySet()) {
      if (stream.url().startsWith(tunnel.getKey())) {
        return request.via(
            URI.create(tunnel.getValue() + stream.url().substring(tunnel.getKey().length())));
      }
    }
    return request;
  }

  void attach(SimulatedCall call) {
    streams.put(call.callSid(), CompletableFuture.completedFuture(call));
  }

  /** The outbound calls placed so far. */
  public synchronized List<Placed> placed() {
    return List.copyOf(placed);
  }

  /** Completes when the outbound call {@code callSid} was answered and its stream connected. */
  public CompletableFuture<SimulatedCall> answered(String callSid) {
    CompletableFuture<SimulatedCall> stream = streams.get(callSid);
    return stream == null
        ? CompletableFuture.failedFuture(new IllegalArgumentException("no call " + callSid))
        : stream;
  }

  /** Where a {@code <Dial>} update moved call {@code callSid}, if one did. */
  public Optional<String> dialed(String callSid) {
    return Optional.ofNullable(dialed.get(callSid));
  }

  Answer create(String accountSid, Map<String, String> form) {
    String to = form.getOrDefault("To", "");
    String from = form.getOrDefault("From", "");
    if (!Twiml.isDialTarget(to)) {
      return Answer.error(400, 21211, "Invalid 'To' Phone Number: " + to);
    }
    if (!Twiml.isE164(from)) {
      return Answer.error(400, 21212, "Invalid 'From' Phone Number: " + from);
    }
    Optional<String> detection = Optional.ofNullable(form.get("MachineDetection"));
    if (detection.isPresent() && !MACHINE_DETECTION.contains(detection.get())) {
      return Answer.error(400, 21626, "Invalid MachineDetection: " + detection.get());
    }
    if (!form.containsKey("Twiml")) {
      return Answer.error(400, 21205, "Twiml is required (this fake does not fetch a Url)");
    }
    TwimlDocument twiml;
    try {
      twiml = TwimlDocument.parse(form.get("Twiml"));
    } catch (IllegalArgumentException e) {
      return Answer.error(400, 12100, "Document parse failure: " + e.getMessage());
    }
    String callSid = TwilioCallSimulator.newCallSid();
    synchronized (this) {
      placed.add(new Placed(callSid, accountSid, to, from, twiml, detection));
    }
    var stream = new CompletableFuture<SimulatedCall>();
    streams.put(callSid, stream);
    String json =
        "{\"sid\":\""
            + callSid
            + "\",\"account_sid\":\""
            + accountSid
            + "\",\"to\":"
            + FakeTwilio.Json.quote(to)
            + ",\"from\":"
            + FakeTwilio.Json.quote(from)
            + ",\"status\":\"queued\",\"direction\":\"outbound-api\"}";
    return new Answer(
        201,
        json,
        () ->
            timer.schedule(
                () -> answer(accountSid, callSid, twiml, stream),
                answerDelay.toMillis(),
                TimeUnit.MILLISECONDS));
  }

  private void answer(
      String accountSid,
      String callSid,
      TwimlDocument twiml,
      CompletableFuture<SimulatedCall> stream) {
    if (twiml.stream().isEmpty()) {
      stream.completeExceptionally(new IllegalStateException("the TwiML connects no stream"));
      return;
    }
    simulator.stream(streamRequest(twiml.stream().get(), accountSid, callSid))
        .whenComplete(
            (call, error) -> {
              if (error != null) {
                stream.completeExceptionally(error);
              } else {
                stream.complete(call);
              }
            });
  }

  Answer update(String accountSid, String callSid, Map<String, String> form) {
    CompletableFuture<SimulatedCall> stream = streams.get(callSid);
    if (stream == null) {
      return Answer.error(
          404,
          20404,
          "The requested resource /2010-04-01/Accounts/"
              + accountSid
              + "/Calls/"
              + callSid
              + ".json was not found");
    }
    SimulatedCall call = stream.getNow(null);
    if (call == null || call.closed().isDone() || !call.accountSid().equals(accountSid)) {
      return Answer.error(400, 21220, "Call is not in-progress. Cannot redirect.");
    }
    if (form.containsKey("Twiml")) {
      return redirect(call, form.get("Twiml"));
    }
    if ("completed".equals(form.get("Status"))) {
      return ended(call, "completed");
    }
    return Answer.error(400, 21205, "Twiml, Url or Status is required");
  }

  private Answer redirect(SimulatedCall call, String xml) {
    TwimlDocument twiml;
    try {
      twiml = TwimlDocument.parse(xml);
    } catch (IllegalArgumentException e) {
      return Answer.error(400, 12100, "Document parse failure: " + e.getMessage());
    }
    if (twiml.dialTarget().isPresent()) {
      String target = twiml.dialTarget().get();
      if (!Twiml.isDialTarget(target)) {
        return Answer.error(400, 13223, "Dial: Invalid phone number format: " + target);
      }
      dialed.put(call.callSid(), target);
    }
    return ended(call, "in-progress");
  }

  /** The call leaves its {@code <Connect><Stream>}: Twilio stops the stream. */
  private Answer ended(SimulatedCall call, String status) {
    String json = "{\"sid\":\"" + call.callSid() + "\",\"status\":\"" + status + "\"}";
    if (stopStreamFirst) {
      call.sendStop();
      return new Answer(200, json, () -> {});
    }
    return new Answer(200, json, call::sendStop);
  }

  /**
   * An inbound call through a voice webhook ({@link InboundDialer#dial}); a stream its TwiML
   * connects becomes a call this fake can update.
   */
  public CompletableFuture<InboundCall> dialIn(InboundDial dial) {
    return new InboundDialer(simulator, accounts, this::streamRequest)
        .dial(dial)
        .thenApply(
            call -> {
              call.stream().ifPresent(this::attach);
              return call;
            });
  }

  void close() {
    timer.shutdownNow();
  }
}

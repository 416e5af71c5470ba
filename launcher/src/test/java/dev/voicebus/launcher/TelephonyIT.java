package dev.voicebus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.Speaker;
import dev.voicebus.launcher.local.LocalOptions;
import dev.voicebus.launcher.local.LocalStack;
import dev.voicebus.launcher.telephony.CallLog;
import dev.voicebus.launcher.telephony.PhoneCaller;
import dev.voicebus.simulator.ReceivedFrame;
import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.TwilioCallSimulator;
import dev.voicebus.simulator.twilio.FakeTwilio;
import dev.voicebus.simulator.twilio.InboundCall;
import dev.voicebus.simulator.twilio.InboundDial;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Telephony control end to end: the whole local stack (embedded broker, Realtime sandbox, worker,
 * tool executor, ingest) with Twilio's side played by the fake Twilio REST API and simulated calls
 * that come in through the voice webhook (signed, routed by the called number, streamed with their
 * token). Keypad digits change what the agent says; a transfer happens through the fake Twilio
 * after the agent's announcement has reached the caller; a refused transfer is spoken about and the
 * call goes on to a hang-up after the goodbye; an outbound call placed with {@code voicebus dial}
 * is answered and talks to the agent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelephonyIT {

  private static final Duration TURN = Duration.ofSeconds(30);
  private static final String ACCOUNT = "ACtelephonytest";
  private static final String AUTH_TOKEN = "telephony-test-auth-token";
  private static final String PIN_LINE = "+15550001000";
  private static final String FRONT_DESK = "+15550002000";
  private static final String CALLER = "+15557654321";
  private static final String BILLING = "+15551230000";
  private static final String ANNOUNCEMENT = "Connecting you to billing now.";

  private TwilioCallSimulator twilioSide;
  private FakeTwilio twilio;
  private LocalStack stack;
  private CallLog log;

  @BeforeAll
  void start() throws Exception {
    twilioSide =
        new TwilioCallSimulator(
            SimulatorOptions.of(URI.create("ws://127.0.0.1:1/unused"), AUTH_TOKEN), 2);
    twilio = FakeTwilio.start(Map.of(ACCOUNT, AUTH_TOKEN), twilioSide);
    Path profiles = Files.createTempFile("telephony-profiles", ".json");
    try (InputStream in = TelephonyIT.class.getResourceAsStream("/telephony-profiles.json")) {
      Files.write(profiles, in.readAllBytes());
    }
    Map<String, String> settings =
        Map.of(
            "worker.profiles-file",
            profiles.toString(),
            "ingest.twilio.auth-token",
            AUTH_TOKEN,
            "ingest.twilio.account-sid",
            ACCOUNT,
            "ingest.twilio.api-base-url",
            twilio.baseUrl().toString(),
            "ingest.twilio.numbers",
            PIN_LINE + "=pin\n" + FRONT_DESK + "=transfer",
            "ingest.twilio.rest-hangup",
            "true",
            "tool-executor.transfer.directory",
            "billing=" + BILLING);
    stack = LocalStack.start(new LocalOptions(Optional.empty(), 0, 0, settings), line -> {});
    log = new CallLog(stack.kafka());
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
    twilio.close();
    twilioSide.close();
  }

  private PhoneCaller dialIn(String to) throws Exception {
    URI webhook = URI.create("http://127.0.0.1:" + stack.ingestPort() + "/twilio/voice");
    InboundCall call =
        twilio
            .calls()
            .dialIn(InboundDial.of(webhook, ACCOUNT, CALLER, to))
            .get(15, TimeUnit.SECONDS);
    assertThat(call.status()).isEqualTo(200);
    return new PhoneCaller(call.stream().orElseThrow());
  }

  @Test
  void digitsKeyedOnTheKeypadReachTheModelAndChangeWhatTheAgentSays() throws Exception {
    PhoneCaller right = dialIn(PIN_LINE);
    PhoneCaller wrong = dialIn(PIN_LINE);
    String rightId = log.started(right.call().callSid()).getCallId();
    String wrongId = log.started(wrong.call().callSid()).getCallId();

    right.say(1200);
    right.awaitAgentTurn(TURN);
    right.keys("1234#");
    right.awaitAgentTurn(TURN);
    wrong.say(1200);
    wrong.awaitAgentTurn(TURN);
    wrong.keys("9999#");
    wrong.awaitAgentTurn(TURN);

    assertThat(log.finals(rightId, Speaker.CALLER, l -> l.size() >= 2))
        .contains("The caller pressed 1 2 3 4 #");
    assertThat(log.finals(rightId, Speaker.AGENT, l -> l.size() >= 2))
        .containsExactly(
            "Sure. Please enter your four-digit PIN on your keypad, then press the pound key.",
            "Thank you, your PIN is correct. Your balance is forty-two dollars.");
    assertThat(log.finals(wrongId, Speaker.AGENT, l -> l.size() >= 2))
        .endsWith("Sorry, that PIN is not correct.");
    right.call().sendStop();
    wrong.call().sendStop();
  }

  @Test
  void aTransferIsCarriedOutThroughTwilioAfterTheAnnouncementHasReachedTheCaller()
      throws Exception {
    PhoneCaller caller = dialIn(FRONT_DESK);
    String callId = log.started(caller.call().callSid()).getCallId();

    caller.say(1200);
    caller.listenUntilClosed(Duration.ofSeconds(60));

    assertThat(caller.call().closed()).isDone();
    List<String> agent = log.finals(callId, Speaker.AGENT, l -> !l.isEmpty());
    assertThat(agent).containsExactly(ANNOUNCEMENT);
    // The sandbox speaks 65 ms per character: the whole announcement reached the caller.
    assertThat(caller.call().receivedAudio()).hasSize(ANNOUNCEMENT.length() * 65 * 8);
    FakeTwilio.Request update = updateOf(caller.call().callSid());
    assertThat(update.form())
        .containsExactly(Map.entry("Twiml", "<Response><Dial>" + BILLING + "</Dial></Response>"));
    List<ReceivedFrame> frames = caller.call().receivedFrames();
    assertThat(update.receivedAtNanos())
        .isGreaterThan(frames.get(frames.size() - 1).arrivedNanos());
    CallEnded end = log.ended(callId);
    assertThat(end.getReason()).isEqualTo(CallEndReason.TRANSFERRED);
    assertThat(end.getTransferTarget()).isEqualTo(BILLING);
  }

  @Test
  void aRefusedTransferIsSpokenAboutAndTheCallGoesOnUntilTheAgentHangsUpAfterItsGoodbye()
      throws Exception {
    PhoneCaller caller = dialIn(FRONT_DESK);
    String callId = log.started(caller.call().callSid()).getCallId();
    twilio.failNext(new FakeTwilio.Failure(400, 13223, "Dial: Invalid phone number format"));

    caller.say(1200);
    caller.awaitAgentTurn(TURN);
    await()
        .atMost(TURN)
        .until(() -> log.finals(callId, Speaker.AGENT, l -> l.size() >= 2).size() >= 2);
    caller.awaitAgentTurn(TURN);
    assertThat(caller.call().closed()).isNotDone();
    caller.say(1200);
    caller.listenUntilClosed(Duration.ofSeconds(60));

    assertThat(log.finals(callId, Speaker.AGENT, l -> l.size() >= 3))
        .containsExactly(
            ANNOUNCEMENT,
            "I'm sorry, I couldn't put you through to billing. Can I help you with something else?",
            "Thanks for calling, goodbye!");
    assertThat(caller.call().closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(1000);
    CallEnded end = log.ended(callId);
    assertThat(end.getReason()).isEqualTo(CallEndReason.AGENT_HANGUP);
    List<ReceivedFrame> frames = caller.call().receivedFrames();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> twilio.requests().stream().anyMatch(r -> isCompletion(r, caller)));
    FakeTwilio.Request completion =
        twilio.requests().stream().filter(r -> isCompletion(r, caller)).findFirst().orElseThrow();
    assertThat(completion.receivedAtNanos())
        .isGreaterThan(frames.get(frames.size() - 1).arrivedNanos());
  }

  @Test
  void anOutboundCallPlacedWithVoicebusDialIsAnsweredAndTalksToTheAgent() throws Exception {
    String printed =
        cli(
            "dial",
            "--url",
            "http://127.0.0.1:" + stack.ingestPort(),
            "--token",
            stack.apiToken(),
            "--to",
            "+15553334444",
            "--from",
            PIN_LINE,
            "--profile",
            "pin",
            "--machine-detection",
            "Enable");

    Matcher placed =
        Pattern.compile("Call (\\S+) placed to \\+15553334444 \\(Twilio CallSid (CA\\w+),")
            .matcher(printed);
    assertThat(placed.find()).as(printed).isTrue();
    String callId = placed.group(1);
    String callSid = placed.group(2);
    assertThat(twilio.calls().placed())
        .anySatisfy(
            p -> {
              assertThat(p.callSid()).isEqualTo(callSid);
              assertThat(p.machineDetection()).contains("Enable");
            });
    PhoneCaller callee =
        new PhoneCaller(twilio.calls().answered(callSid).get(15, TimeUnit.SECONDS));
    CallStarted started = log.started(callSid);
    assertThat(started.getCallId()).isEqualTo(callId);
    assertThat(started.getAgentProfile()).isEqualTo("pin");

    callee.say(1200);
    callee.awaitAgentTurn(TURN);

    assertThat(log.finals(callId, Speaker.AGENT, l -> !l.isEmpty()))
        .containsExactly(
            "Sure. Please enter your four-digit PIN on your keypad, then press the pound key.");
    assertThat(callee.call().receivedAudio()).isNotEmpty();
    callee.call().sendStop();
  }

  private static boolean isCompletion(FakeTwilio.Request request, PhoneCaller caller) {
    return request.callSid().equals(Optional.of(caller.call().callSid()))
        && "completed".equals(request.form().get("Status"));
  }

  private FakeTwilio.Request updateOf(String callSid) {
    return twilio.requests().stream()
        .filter(r -> r.callSid().equals(Optional.of(callSid)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no update of " + callSid));
  }

  private static String cli(String... args) {
    var captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      exit = VoicebusCli.run(args);
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(output).isZero();
    return output;
  }
}

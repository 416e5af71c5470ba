package dev.voicebus.worker.session;

import static dev.voicebus.worker.session.CallFixture.agentDelta;
import static dev.voicebus.worker.session.CallFixture.agentDone;
import static dev.voicebus.worker.session.CallFixture.callerSaid;
import static dev.voicebus.worker.session.CallFixture.functionCall;
import static dev.voicebus.worker.session.CallFixture.only;
import static dev.voicebus.worker.session.CallFixture.played;
import static dev.voicebus.worker.session.CallFixture.responseCreated;
import static dev.voicebus.worker.session.CallFixture.responseDone;
import static dev.voicebus.worker.session.CallFixture.sent;
import static dev.voicebus.worker.session.CallFixture.sessionEvents;
import static dev.voicebus.worker.session.CallFixture.speechStarted;
import static dev.voicebus.worker.session.CallFixture.speechStopped;
import static dev.voicebus.worker.session.CallFixture.toolResult;
import static dev.voicebus.worker.session.CallFixture.transcripts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallAction;
import dev.voicebus.avro.CallActionKind;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallSummary;
import dev.voicebus.avro.ClearPlayback;
import dev.voicebus.avro.Hangup;
import dev.voicebus.avro.SessionError;
import dev.voicebus.avro.SessionLifecycle;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.avro.SessionReconnect;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ConversationItem;
import dev.voicebus.worker.config.AgentProfile;
import dev.voicebus.worker.config.CallSettings;
import dev.voicebus.worker.metrics.WorkerMetrics;
import dev.voicebus.worker.realtime.ConversationReplay;
import dev.voicebus.worker.realtime.SessionConfigs;
import dev.voicebus.worker.session.CallFixture.FakeConnection;
import dev.voicebus.worker.state.CallStatus;
import dev.voicebus.worker.state.EntryKind;
import dev.voicebus.worker.state.StateChange;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallCoordinatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final FakeConnection first = new FakeConnection("rt-1");
  private final FakeConnection second = new FakeConnection("rt-2");
  private final CallFixture f = new CallFixture("support");

  @Test
  void opensWithTheProfilesConfigThenSendsAudioHeldWhileConnectingInOrder() {
    List<Effect> started = f.step(f.call.start(Optional.empty()));
    assertThat(started)
        .containsExactly(
            new Effect.OpenSession(1),
            new Effect.StartTimer(TimerKey.Call.MAX_DURATION, Duration.ofHours(2)),
            new Effect.StartTimer(TimerKey.Call.IDLE_CHECK, Duration.ofSeconds(60)));
    assertThat(f.call.onCallerAudio(new byte[] {1}, CallFixture.T0)).isEmpty();
    assertThat(f.call.onCallerAudio(new byte[] {2}, CallFixture.T0)).isEmpty();

    List<Effect> opened = f.step(f.call.onSessionOpened(1, first));

    List<ClientEvent> sent = sent(opened);
    assertThat(sent.get(0))
        .isEqualTo(
            new ClientEvent.SessionUpdate(SessionConfigs.forCall(f.profile, AudioCodec.PCMU)));
    assertThat(sent.subList(1, 3))
        .extracting(e -> ((ClientEvent.InputAudioBufferAppend) e).audio())
        .containsExactly("AQ==", "Ag==");
    assertThat(only(opened, Effect.ToRealtime.class)).allMatch(e -> e.via() == first);
    assertThat(opened)
        .contains(new Effect.StartTimer(TimerKey.Call.ROTATION, Duration.ofMinutes(50)));
    assertThat(sessionEvents(opened)).noneMatch(SessionReconnect.class::isInstance);

    assertThat(sent(f.call.onCallerAudio(new byte[] {3}, CallFixture.T0)))
        .singleElement()
        .isInstanceOf(ClientEvent.InputAudioBufferAppend.class);
  }

  @Test
  void bargeInClearsPlaybackAndTruncatesAtWhatTheCallerHeard() {
    f.open(first);
    f.agentSpeaks(1, "resp_1", "item_a", 600);
    f.server(1, agentDone("resp_1", "item_a", "Hello, thanks for calling Acme support."));
    f.step(f.call.onPlaybackMark(played("item_a", 400)));

    List<Effect> bargeIn = f.server(1, speechStarted("item_c"));

    assertThat(only(bargeIn, Effect.ToCaller.class))
        .singleElement()
        .satisfies(
            e -> assertThat(((ClearPlayback) e.out().getEvent()).getItemId()).isEqualTo("item_a"));
    assertThat(sent(bargeIn))
        .containsExactly(new ClientEvent.ConversationItemTruncate(null, "item_a", 0, 400));
    TranscriptEvent heard = transcripts(bargeIn).get(0);
    assertThat(heard.getInterrupted()).isTrue();
    assertThat(heard.getAudioEndMs()).isEqualTo(400L);
    // Two thirds of the audio heard: the transcript cut at two thirds, at a word boundary.
    assertThat(heard.getText()).isEqualTo("Hello, thanks for calling");
    assertThat(f.call.state().getEntries())
        .singleElement()
        .satisfies(e -> assertThat(e.getText()).isEqualTo("Hello, thanks for calling"));
    assertThat(f.registry.counter("voicebus.worker.barge_ins").count()).isEqualTo(1);
  }

  @Test
  void bargeInTruncatesNoFurtherThanTheAudioSent() {
    f.open(first);
    f.agentSpeaks(1, "resp_1", "item_a", 600);
    // Playback reports more than was sent (a clock skew, a bug at the edge): clamp to what was
    // sent.
    f.step(f.call.onPlaybackMark(played("item_a", 900)));

    assertThat(sent(f.server(1, speechStarted("item_c"))))
        .containsExactly(new ClientEvent.ConversationItemTruncate(null, "item_a", 0, 600));
  }

  @Test
  void callerSpeechBeforeAnyAgentAudioIsNoBargeIn() {
    f.open(first);
    f.server(1, responseCreated("resp_1"));

    List<Effect> effects = f.server(1, speechStarted("item_c"));

    assertThat(only(effects, Effect.ToCaller.class)).isEmpty();
    assertThat(sent(effects)).isEmpty();
  }

  @Test
  void withoutServerInterruptionTheActiveResponseIsCancelledOnBargeIn() {
    var support = CallFixture.profiles().find("support").orElseThrow();
    var turns = support.turnDetection();
    var patient =
        new AgentProfile(
            "patient",
            support.model(),
            support.instructions(),
            support.voice(),
            support.tools(),
            support.toolChoice(),
            new AgentProfile.TurnDetectionSpec(
                turns.type(),
                turns.threshold(),
                turns.prefixPaddingMs(),
                turns.silenceDurationMs(),
                turns.eagerness(),
                turns.createResponse(),
                false,
                turns.idleTimeoutMs()),
            support.transcriptionModel(),
            support.noiseReduction(),
            support.outputModalities(),
            support.maxOutputTokens(),
            support.reasoningEffort(),
            support.toolTimeout(),
            support.dtmf(),
            support.redactor());
    var fixture = new CallFixture(patient, CallFixture.SETTINGS);
    fixture.open(first);
    fixture.agentSpeaks(1, "resp_1", "item_a", 400);

    assertThat(sent(fixture.server(1, speechStarted("item_c"))))
        .contains(new ClientEvent.ResponseCancel());
  }

  @Test
  void aToolThatMissesItsDeadlineIsATimeoutForTheModelAndItsLateResultIsDropped() throws Exception {
    f.open(first);
    List<Effect> asked =
        f.server(1, functionCall("call_1", "lookup_order", "{\"order_id\":\"A1001\"}"));
    assertThat(only(asked, Effect.PublishToolCall.class))
        .singleElement()
        .satisfies(
            c -> assertThat(c.call().getDeadline()).isEqualTo(CallFixture.T0.plusSeconds(5)));
    assertThat(asked)
        .contains(
            new Effect.StartTimer(new TimerKey.ToolDeadline("call_1"), Duration.ofSeconds(5)));

    f.clock.advance(Duration.ofSeconds(5));
    List<Effect> timedOut = f.step(f.call.onTimer(new TimerKey.ToolDeadline("call_1")));

    var output =
        (ConversationItem.FunctionCallOutput)
            ((ClientEvent.ConversationItemCreate) sent(timedOut).get(0)).item();
    assertThat(output.callId()).isEqualTo("call_1");
    assertThat(JSON.readTree(output.output()).get("error").asText()).isEqualTo("timeout");
    assertThat(sent(timedOut).get(1)).isEqualTo(new ClientEvent.ResponseCreate());
    assertThat(sessionEvents(timedOut))
        .singleElement()
        .satisfies(e -> assertThat(((SessionError) e).getCode()).isEqualTo("tool_timeout"));

    List<Effect> late =
        f.step(f.call.onToolResult(toolResult("call_1", "lookup_order", ToolStatus.OK, null)));
    assertThat(sent(late)).isEmpty();
    assertThat(sessionEvents(late))
        .singleElement()
        .satisfies(e -> assertThat(((SessionError) e).getCode()).isEqualTo("late_tool_result"));
    assertThat(f.call.state().getPendingTools()).isEmpty();
    assertThat(f.call.state().getSettledTools()).containsExactly("call_1");
  }

  @Test
  void aToolResultGoesToTheModelWhichIsAskedToGoOn() {
    f.open(first);
    f.server(1, functionCall("call_1", "lookup_order", "{}"));

    List<Effect> answered =
        f.step(f.call.onToolResult(toolResult("call_1", "lookup_order", ToolStatus.OK, null)));

    assertThat(answered).contains(new Effect.CancelTimer(new TimerKey.ToolDeadline("call_1")));
    assertThat(sent(answered))
        .containsExactly(
            new ClientEvent.ConversationItemCreate(
                ConversationItem.functionCallOutput("call_1", "{\"ok\":true}")),
            new ClientEvent.ResponseCreate());
    assertThat(f.call.state().getEntries())
        .extracting(e -> e.getKind())
        .containsExactly(EntryKind.TOOL_CALL, EntryKind.TOOL_OUTPUT);
  }

  @Test
  void aSessionLostMidResponseIsReplayedOnTheNextWithTheOwedResponse() {
    f.open(first);
    f.server(1, callerSaid("item_u", "Hi, I'd like to check on my order."));
    f.server(1, agentDelta("resp_1", "item_a", "Hello, thanks for calling Acme support."));
    f.agentSpeaks(1, "resp_1", "item_a", 800);
    f.step(f.call.onPlaybackMark(played("item_a", 800)));

    f.clock.advance(Duration.ofMillis(100));
    List<Effect> lost = f.step(f.call.onSessionClosed(1, 1011, "server error"));
    TranscriptEvent cut = transcripts(lost).get(0);
    assertThat(cut.getInterrupted()).isTrue();
    assertThat("Hello, thanks for calling Acme support.").startsWith(cut.getText());
    assertThat(lost).contains(new Effect.StateChanged(new StateChange.ResponseOwed(true)));
    assertThat(only(lost, Effect.StartTimer.class))
        .singleElement()
        .satisfies(t -> assertThat(t.key()).isEqualTo(TimerKey.Call.RECONNECT));
    assertThat(f.call.onCallerAudio(new byte[] {7}, CallFixture.T0)).isEmpty();
    // Late events of the lost session are ignored.
    assertThat(f.server(1, responseDone("resp_1"))).isEmpty();

    assertThat(f.step(f.call.onTimer(TimerKey.Call.RECONNECT)))
        .containsExactly(new Effect.OpenSession(2));
    f.clock.advance(Duration.ofMillis(200));
    List<Effect> reopened = f.step(f.call.onSessionOpened(2, second));

    assertThat(only(reopened, Effect.ToRealtime.class)).allMatch(e -> e.via() == second);
    List<ClientEvent> sent = sent(reopened);
    assertThat(sent.get(0)).isInstanceOf(ClientEvent.SessionUpdate.class);
    assertThat(sent.subList(1, 4)).allMatch(ClientEvent.ConversationItemCreate.class::isInstance);
    assertThat(
            ((ConversationItem.Message) ((ClientEvent.ConversationItemCreate) sent.get(3)).item())
                .content()
                .toString())
        .contains(ConversationReplay.RESUME_NOTE);
    assertThat(sent.get(4)).isInstanceOf(ClientEvent.InputAudioBufferAppend.class);
    assertThat(sent.get(5)).isEqualTo(new ClientEvent.ResponseCreate());
    assertThat(sessionEvents(reopened))
        .singleElement()
        .isEqualTo(new SessionReconnect("socket closed: server error", 1011, 1, 200L, 3));
    assertThat(f.call.state().getResponseOwed()).isFalse();
    assertThat(f.call.state().getReconnects()).isEqualTo(1);
  }

  @Test
  void failedReconnectsBackOffAndGiveUpAfterTheLastAttempt() {
    f.open(first);
    f.step(f.call.onSessionClosed(1, 1006, "dropped"));
    f.step(f.call.onTimer(TimerKey.Call.RECONNECT));
    assertThat(f.step(f.call.onSessionFailed(2, "connection refused", false)))
        .singleElement()
        .satisfies(
            e -> assertThat(((Effect.StartTimer) e).key()).isEqualTo(TimerKey.Call.RECONNECT));
    f.step(f.call.onTimer(TimerKey.Call.RECONNECT));
    f.step(f.call.onSessionFailed(3, "connection refused", false));
    f.step(f.call.onTimer(TimerKey.Call.RECONNECT));

    List<Effect> gaveUp = f.step(f.call.onSessionFailed(4, "connection refused", false));

    assertThat(sessionEvents(gaveUp).get(0))
        .satisfies(e -> assertThat(((SessionError) e).getCode()).isEqualTo("realtime_unavailable"));
    assertThat(only(gaveUp, Effect.ToCaller.class))
        .singleElement()
        .satisfies(e -> assertThat(e.out().getEvent()).isInstanceOf(Hangup.class));
    assertThat(f.call.state().getStatus()).isEqualTo(CallStatus.ENDED);
  }

  @Test
  void aFatalHandshakeEndsTheCallWithoutRetryingAndSaysWhy() {
    f.step(f.call.start(Optional.empty()));

    List<Effect> failed =
        f.step(f.call.onSessionFailed(1, "HTTP 401 Unauthorized on WebSocket upgrade", true));

    assertThat(only(failed, Effect.StartTimer.class)).isEmpty();
    assertThat(only(failed, Effect.OpenSession.class)).isEmpty();
    assertThat(failed).contains(new Effect.CancelAllTimers());
    var error = (SessionError) sessionEvents(failed).get(0);
    assertThat(error.getFatal()).isTrue();
    assertThat(error.getMessage()).contains("401");
    assertThat(sessionEvents(failed))
        .anySatisfy(e -> assertThat(e).isInstanceOf(CallSummary.class));
    assertThat(only(failed, Effect.ToCaller.class))
        .singleElement()
        .satisfies(
            e ->
                assertThat(((Hangup) e.out().getEvent()).getReason())
                    .isEqualTo("realtime_unavailable"));
    assertThat(f.call.state().getStatus()).isEqualTo(CallStatus.ENDED);
    // Nothing more happens to an ended call.
    assertThat(f.step(f.call.onTimer(TimerKey.Call.RECONNECT))).isEmpty();
    assertThat(f.step(f.call.end("caller_hangup"))).isEmpty();
  }

  @Test
  void rotatesOnlyBetweenTurns() {
    f.open(first);
    f.agentSpeaks(1, "resp_1", "item_a", 400);

    List<Effect> busy = f.step(f.call.onTimer(TimerKey.Call.ROTATION));
    assertThat(busy)
        .containsExactly(new Effect.StartTimer(TimerKey.Call.ROTATION, Duration.ofMillis(250)));

    f.server(1, responseDone("resp_1"));
    List<Effect> stillPlaying = f.step(f.call.onTimer(TimerKey.Call.ROTATION));
    assertThat(only(stillPlaying, Effect.OpenSession.class)).isEmpty();

    f.step(f.call.onPlaybackMark(played("item_a", 400)));
    f.server(1, speechStarted("item_u"));
    assertThat(only(f.step(f.call.onTimer(TimerKey.Call.ROTATION)), Effect.OpenSession.class))
        .isEmpty();
    f.server(1, speechStopped("item_u"));

    List<Effect> rotated = f.step(f.call.onTimer(TimerKey.Call.ROTATION));
    assertThat(rotated)
        .containsExactly(
            new Effect.CloseSession(
                first, 1000, "rotating the session before its maximum duration"),
            new Effect.OpenSession(2));
    List<Effect> reopened = f.step(f.call.onSessionOpened(2, second));
    assertThat(sessionEvents(reopened))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(((SessionReconnect) e).getReason()).isEqualTo("proactive rotation");
              assertThat(((SessionReconnect) e).getCloseCode()).isNull();
            });
    // The old socket's close after a rotation is not a break.
    assertThat(f.step(f.call.onSessionClosed(1, 1000, "rotating"))).isEmpty();
  }

  @Test
  void hangsUpAfterTheGoodbyeThatFollowsAHangupAction() {
    f.open(first);
    f.server(1, functionCall("call_end", "end_call", "{\"reason\":\"resolved\"}"));

    List<Effect> answered =
        f.step(
            f.call.onToolResult(
                toolResult(
                    "call_end",
                    "end_call",
                    ToolStatus.OK,
                    new CallAction(CallActionKind.HANGUP, "resolved", null, null))));
    assertThat(only(answered, Effect.ToCaller.class)).isEmpty();
    assertThat(sent(answered)).contains(new ClientEvent.ResponseCreate());

    f.agentSpeaks(1, "resp_bye", "item_bye", 400);
    List<Effect> goodbyeDone = f.server(1, responseDone("resp_bye"));

    assertThat(only(goodbyeDone, Effect.ToCaller.class))
        .singleElement()
        .satisfies(e -> assertThat(e.out().getEvent()).isInstanceOf(Hangup.class));
  }

  @Test
  void anErrorResultNeverHangsUpEvenWithAnAction() {
    f.open(first);
    f.server(1, functionCall("call_end", "end_call", "{}"));
    f.step(
        f.call.onToolResult(
            toolResult(
                "call_end",
                "end_call",
                ToolStatus.ERROR,
                new CallAction(CallActionKind.HANGUP, "resolved", null, null))));

    f.agentSpeaks(1, "resp_2", "item_2", 200);

    assertThat(only(f.server(1, responseDone("resp_2")), Effect.ToCaller.class)).isEmpty();
  }

  @Test
  void aTransferSaysItsAnnouncementThenGoesToTheCarrierWithItsToolCallStillOpen() {
    f.open(first);
    f.server(1, functionCall("call_t", "transfer_call", "{}"));
    f.server(1, responseDone("resp_t"));

    List<Effect> accepted =
        f.step(f.call.onToolResult(transfer("call_t", "One moment, connecting you.")));

    assertThat(sent(accepted))
        .singleElement()
        .satisfies(
            e ->
                assertThat(((ClientEvent.ResponseCreate) e).response().instructions())
                    .endsWith("One moment, connecting you."));
    assertThat(accepted)
        .contains(
            new Effect.StartTimer(new TimerKey.ToolDeadline("call_t"), Duration.ofSeconds(20)));
    assertThat(only(accepted, Effect.ToCaller.class)).isEmpty();

    f.agentSpeaks(1, "resp_a", "item_a", 400);
    List<Effect> announced = f.server(1, responseDone("resp_a"));

    assertThat(only(announced, Effect.ToCaller.class))
        .singleElement()
        .satisfies(
            e -> {
              var hangup = (Hangup) e.out().getEvent();
              assertThat(hangup.getTransferTarget()).isEqualTo("+15551234567");
              assertThat(hangup.getToolCallId()).isEqualTo("call_t");
            });
    assertThat(f.call.state().getPendingTools())
        .extracting(p -> p.getToolCallId())
        .containsExactly("call_t");
    assertThat(f.call.state().getPendingTools().get(0).getDeadlineMs())
        .isEqualTo(CallFixture.T0.plusSeconds(20).toEpochMilli());
  }

  @Test
  void withoutAnAnnouncementAQuietAgentTransfersAtOnce() {
    f.open(first);
    f.server(1, functionCall("call_t", "transfer_call", "{}"));
    f.server(1, responseDone("resp_t"));

    List<Effect> accepted = f.step(f.call.onToolResult(transfer("call_t", null)));

    assertThat(sent(accepted)).isEmpty();
    assertThat(only(accepted, Effect.ToCaller.class)).hasSize(1);
  }

  @Test
  void aTransferTheCarrierRefusesIsAToolErrorTheModelSpeaksAboutAndTheCallGoesOn()
      throws Exception {
    f.open(first);
    f.server(1, functionCall("call_t", "transfer_call", "{}"));
    f.server(1, responseDone("resp_t"));
    f.step(f.call.onToolResult(transfer("call_t", null)));

    var refused =
        new dev.voicebus.avro.ToolResult(
            "call-1",
            "call_t",
            "transfer_call",
            ToolStatus.ERROR,
            "{\"error\":\"transfer_failed\",\"message\":\"The number is busy.\"}",
            0L,
            1,
            CallFixture.T0,
            null,
            null,
            null,
            null);
    List<Effect> failed = f.step(f.call.onToolResult(refused));

    var output =
        (ConversationItem.FunctionCallOutput)
            ((ClientEvent.ConversationItemCreate) sent(failed).get(0)).item();
    assertThat(JSON.readTree(output.output()).get("error").asText()).isEqualTo("transfer_failed");
    assertThat(sent(failed).get(1)).isEqualTo(new ClientEvent.ResponseCreate());
    f.agentSpeaks(1, "resp_sorry", "item_s", 200);
    assertThat(only(f.server(1, responseDone("resp_sorry")), Effect.ToCaller.class))
        .as("no second hand-off, no hang-up")
        .isEmpty();
    assertThat(f.call.state().getPendingTools()).isEmpty();
  }

  @Test
  void aTransferWithNoOutcomeInTimeIsATimeoutForTheModel() {
    f.open(first);
    f.server(1, functionCall("call_t", "transfer_call", "{}"));
    f.server(1, responseDone("resp_t"));
    f.step(f.call.onToolResult(transfer("call_t", null)));

    List<Effect> timedOut = f.step(f.call.onTimer(new TimerKey.ToolDeadline("call_t")));

    assertThat(sent(timedOut)).hasSize(2);
    assertThat(sessionEvents(timedOut))
        .singleElement()
        .satisfies(e -> assertThat(((SessionError) e).getCode()).isEqualTo("tool_timeout"));
  }

  @Test
  void aCallThatDidNotComeThroughACarrierCannotBeTransferred() throws Exception {
    var plain = new CallFixture(f.profile, CallFixture.SETTINGS, CallSource.WEBSOCKET);
    plain.open(first);
    plain.server(1, functionCall("call_t", "transfer_call", "{}"));

    List<Effect> answered = plain.step(plain.call.onToolResult(transfer("call_t", null)));

    assertThat(sessionEvents(answered))
        .singleElement()
        .satisfies(e -> assertThat(((SessionError) e).getCode()).isEqualTo("transfer_unsupported"));
    var output =
        (ConversationItem.FunctionCallOutput)
            ((ClientEvent.ConversationItemCreate) sent(answered).get(0)).item();
    assertThat(JSON.readTree(output.output()).get("error").asText())
        .isEqualTo("transfer_unsupported");
    assertThat(only(answered, Effect.ToCaller.class)).isEmpty();
  }

  private static dev.voicebus.avro.ToolResult transfer(String toolCallId, String announcement) {
    return toolResult(
        toolCallId,
        "transfer_call",
        ToolStatus.OK,
        new CallAction(CallActionKind.TRANSFER, null, "+15551234567", announcement));
  }

  @Test
  void handOverSettlesTheLineBeingSpokenAndClosesTheSession() {
    f.open(first);
    f.server(1, agentDelta("resp_1", "item_a", "Hello, thanks for calling."));
    f.agentSpeaks(1, "resp_1", "item_a", 600);

    List<Effect> handedOver = f.step(f.call.handOver());

    assertThat(transcripts(handedOver))
        .singleElement()
        .satisfies(t -> assertThat(t.getInterrupted()).isTrue());
    assertThat(f.call.state().getResponseOwed()).isTrue();
    assertThat(handedOver)
        .contains(
            new Effect.CloseSession(first, 1001, "call handed over to another worker"),
            new Effect.CancelAllTimers());
    assertThat(sessionEvents(handedOver))
        .singleElement()
        .satisfies(e -> assertThat(((SessionLifecycle) e).getDetail()).isEqualTo("handed over"));
    assertThat(f.call.state().getStatus()).isEqualTo(CallStatus.LIVE);
  }

  @Test
  void aResumedCallReplaysItsConversationAndKeepsPendingToolDeadlines() {
    f.open(first);
    f.server(1, callerSaid("item_u", "It's A1001."));
    f.server(1, functionCall("call_1", "lookup_order", "{\"order_id\":\"A1001\"}"));
    var state = f.call.state();

    var resumed =
        new CallCoordinator(
            new CallContext(
                "call-1",
                "acme",
                f.profile,
                AudioCodec.PCMU,
                "voicebus.audio.out",
                3,
                CallFixture.T0,
                CallSource.TWILIO,
                null),
            state,
            CallFixture.SETTINGS,
            f.clock,
            new WorkerMetrics(f.registry));
    f.clock.advance(Duration.ofSeconds(2));
    List<Effect> started = resumed.start(Optional.of("worker failover"));
    assertThat(started)
        .contains(
            new Effect.StartTimer(new TimerKey.ToolDeadline("call_1"), Duration.ofSeconds(3)));

    List<Effect> opened = resumed.onSessionOpened(1, second);

    assertThat(sent(opened)).as("session.update, caller turn, tool call, resume note").hasSize(4);
    assertThat(sessionEvents(opened))
        .singleElement()
        .satisfies(
            e -> assertThat(((SessionReconnect) e).getReason()).isEqualTo("worker failover"));
  }

  @Test
  void theMaximumDurationAndASilentCallerEndTheCall() {
    f.open(first);
    f.clock.advance(Duration.ofSeconds(30));
    assertThat(f.step(f.call.onTimer(TimerKey.Call.IDLE_CHECK)))
        .containsExactly(new Effect.StartTimer(TimerKey.Call.IDLE_CHECK, Duration.ofSeconds(30)));
    f.clock.advance(Duration.ofSeconds(30));

    List<Effect> idle = f.step(f.call.onTimer(TimerKey.Call.IDLE_CHECK));

    assertThat(((SessionError) sessionEvents(idle).get(0)).getCode())
        .isEqualTo("call_idle_timeout");
    assertThat(sessionEvents(idle))
        .filteredOn(SessionLifecycle.class::isInstance)
        .singleElement()
        .satisfies(
            e -> assertThat(((SessionLifecycle) e).getPhase()).isEqualTo(SessionPhase.CLOSED));

    var other = new CallFixture("support");
    other.open(first);
    List<Effect> tooLong = other.step(other.call.onTimer(TimerKey.Call.MAX_DURATION));
    assertThat(((SessionError) sessionEvents(tooLong).get(0)).getCode())
        .isEqualTo("max_call_duration");
  }

  @Test
  void keysAreCollectedUntilTheTerminatorAndReachTheModelAsOneMessage() {
    f.open(first);
    for (String key : List.of("1", "2", "3")) {
      assertThat(sent(f.step(f.call.onKeypad(key)))).isEmpty();
    }

    List<Effect> entered = f.step(f.call.onKeypad("#"));

    assertThat(sent(entered))
        .containsExactly(
            new ClientEvent.ConversationItemCreate(
                ConversationItem.userText("The caller pressed 1 2 3 #")),
            new ClientEvent.ResponseCreate());
    assertThat(transcripts(entered))
        .singleElement()
        .satisfies(t -> assertThat(t.getText()).isEqualTo("The caller pressed 1 2 3 #"));
    assertThat(entered).contains(new Effect.CancelTimer(TimerKey.Call.KEYPAD));
    assertThat(f.call.state().getEntries())
        .extracting(e -> e.getText())
        .containsExactly("The caller pressed 1 2 3 #");
  }

  @Test
  void aPauseBetweenKeysEndsTheEntry() {
    f.open(first);
    assertThat(f.step(f.call.onKeypad("4")))
        .containsExactly(new Effect.StartTimer(TimerKey.Call.KEYPAD, Duration.ofSeconds(3)));
    f.step(f.call.onKeypad("2"));

    List<Effect> paused = f.step(f.call.onTimer(TimerKey.Call.KEYPAD));

    assertThat(sent(paused).get(0))
        .isEqualTo(
            new ClientEvent.ConversationItemCreate(
                ConversationItem.userText("The caller pressed 4 2")));
    assertThat(f.step(f.call.onTimer(TimerKey.Call.KEYPAD))).as("nothing left to send").isEmpty();
  }

  @Test
  void keysPressedWhileTheSessionIsLostAreReplayedAndAnsweredOnTheNext() {
    f.open(first);
    f.step(f.call.onSessionClosed(1, 1006, "dropped"));
    f.step(f.call.onKeypad("9"));
    f.step(f.call.onKeypad("#"));
    f.step(f.call.onTimer(TimerKey.Call.RECONNECT));

    List<Effect> reopened = f.step(f.call.onSessionOpened(2, second));

    assertThat(sent(reopened))
        .contains(
            new ClientEvent.ConversationItemCreate(
                ConversationItem.userText("The caller pressed 9 #")),
            new ClientEvent.ResponseCreate());
  }

  @Test
  void everyRecordCarriesTheCallsTenantAndProfile() {
    f.open(first);
    f.server(1, callerSaid("item_u", "Hi"));
    f.server(1, functionCall("call_1", "lookup_order", "{}"));
    f.agentSpeaks(1, "resp_1", "item_a", 200);
    f.server(1, responseDone("resp_1"));
    f.step(f.call.end("caller_hangup"));

    assertThat(transcripts(f.all))
        .isNotEmpty()
        .allSatisfy(
            t -> {
              assertThat(t.getTenantId()).isEqualTo("acme");
              assertThat(t.getAgentProfile()).isEqualTo("support");
            });
    assertThat(only(f.all, Effect.PublishSessionEvent.class))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.event().getTenantId()).isEqualTo("acme"));
    assertThat(only(f.all, Effect.PublishToolCall.class))
        .singleElement()
        .satisfies(c -> assertThat(c.call().getAgentProfile()).isEqualTo("support"));
    assertThat(only(f.all, Effect.ToCaller.class))
        .extracting(e -> e.out().getEvent())
        .filteredOn(dev.voicebus.avro.AgentAudio.class::isInstance)
        .allSatisfy(
            a -> assertThat(((dev.voicebus.avro.AgentAudio) a).getTenantId()).isEqualTo("acme"));
  }

  @Test
  void theCallsMetersCountTurnsToolsReconnectsAndUsage() {
    f.open(first);
    f.server(1, speechStarted("item_u"));
    f.server(1, speechStopped("item_u"));
    f.clock.advance(Duration.ofMillis(420));
    f.agentSpeaks(1, "resp_1", "item_a", 400);
    f.agentSpeaks(1, "resp_1", "item_a", 200);
    f.server(1, responseDone("resp_1"));
    f.server(1, functionCall("call_1", "lookup_order", "{}"));
    f.step(f.call.onToolResult(toolResult("call_1", "lookup_order", ToolStatus.OK, null)));
    f.step(f.call.onSessionClosed(1, 1011, "server error"));
    f.step(f.call.onTimer(TimerKey.Call.RECONNECT));
    f.step(f.call.onSessionOpened(2, second));

    var turns = f.registry.find("voicebus.worker.turn.latency").timer();
    assertThat(turns.count()).as("one turn, measured at its first audio").isEqualTo(1);
    assertThat(turns.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(420.0);
    assertThat(f.registry.counter("voicebus.worker.tool.calls", "status", "ok").count())
        .isEqualTo(1);
    assertThat(f.registry.counter("voicebus.worker.reconnects", "cause", "socket_closed").count())
        .isEqualTo(1);
    assertThat(
            f.registry
                .counter(
                    "voicebus.worker.tokens",
                    "model",
                    "gpt-realtime",
                    "direction",
                    "output",
                    "modality",
                    "audio")
                .count())
        .isEqualTo(15);
    assertThat(f.registry.counter("voicebus.worker.cost.usd", "model", "gpt-realtime").count())
        .isPositive();
  }

  @Test
  void aCardSpokenAcrossDeltasIsNeverPublishedOrKept() {
    f.open(first);
    List<Effect> effects = new java.util.ArrayList<>();
    for (String word : "My card is 4111 1111 1111 1111 thanks".split("(?<= )")) {
      effects.addAll(
          f.server(
              1,
              new dev.voicebus.realtime.event.ServerEvent.InputAudioTranscriptionDelta(
                  "e", "item_u", 0, word, null)));
    }
    effects.addAll(f.server(1, callerSaid("item_u", "My card is 4111 1111 1111 1111 thanks")));

    assertThat(transcripts(effects))
        .extracting(TranscriptEvent::getText)
        .noneMatch(t -> t.contains("4111"));
    assertThat(transcripts(effects))
        .filteredOn(t -> t.getKind() == dev.voicebus.avro.TranscriptKind.FINAL)
        .singleElement()
        .satisfies(t -> assertThat(t.getText()).isEqualTo("My card is [card ****1111] thanks"));
    assertThat(f.call.state().getEntries())
        .singleElement()
        .satisfies(e -> assertThat(e.getText()).doesNotContain("4111"));
  }

  @Test
  void toolArgumentsAreRedactedOrSealedForTheToolThatNeedsThemInClear() throws Exception {
    var support = f.profile;
    var payment =
        new AgentProfile.ToolSpec(
            "take_payment",
            "Charges a card",
            JSON.createObjectNode().put("type", "object"),
            List.of("/card_number"));
    var tools = new java.util.ArrayList<>(support.tools());
    tools.add(payment);
    var profile =
        new AgentProfile(
            support.id(),
            support.model(),
            support.instructions(),
            support.voice(),
            tools,
            support.toolChoice(),
            support.turnDetection(),
            support.transcriptionModel(),
            support.noiseReduction(),
            support.outputModalities(),
            support.maxOutputTokens(),
            support.reasoningEffort(),
            support.toolTimeout(),
            support.dtmf(),
            support.redactor());
    var cipher =
        dev.voicebus.redaction.crypto.FieldCipher.of(
            dev.voicebus.redaction.crypto.FieldKey.of("k1", new byte[32]));
    var settings =
        new CallSettings(
            CallFixture.SETTINGS.maxCallDuration(),
            CallFixture.SETTINGS.callIdleTimeout(),
            CallFixture.SETTINGS.rotateAfter(),
            CallFixture.SETTINGS.maxBufferedFrames(),
            CallFixture.SETTINGS.reconnect(),
            CallFixture.SETTINGS.transferTimeout(),
            java.util.Optional.of(cipher),
            CallFixture.SETTINGS.prices());
    var sealing = new CallFixture(profile, settings);
    sealing.open(first);
    String args = "{\"card_number\":\"4111111111111111\",\"note\":\"card 4111 1111 1111 1111\"}";

    var call =
        only(
                sealing.server(1, functionCall("call_p", "take_payment", args)),
                Effect.PublishToolCall.class)
            .get(0)
            .call();

    assertThat(call.getArgumentsJson()).doesNotContain("4111");
    var published = JSON.readTree(call.getArgumentsJson());
    assertThat(
            JSON.readTree(cipher.openFields(call.getArgumentsJson())).get("card_number").asText())
        .as("what the tool executor opens")
        .isEqualTo("4111111111111111");
    assertThat(published.get("note").asText()).isEqualTo("card [card ****1111]");

    var plain = new CallFixture("support");
    plain.open(first);
    var redacted =
        only(
                plain.server(1, functionCall("call_q", "take_payment", args)),
                Effect.PublishToolCall.class)
            .get(0)
            .call();
    assertThat(redacted.getArgumentsJson()).doesNotContain("4111111111111111");
  }

  @Test
  void theCallsEndPublishesItsTotals() {
    f.open(first);
    f.server(1, functionCall("call_1", "lookup_order", "{}"));
    f.agentSpeaks(1, "resp_1", "item_a", 200);
    f.server(1, responseDone("resp_1"));
    f.clock.advance(Duration.ofSeconds(42));

    List<Effect> ended = f.step(f.call.end("caller_hangup"));

    assertThat(ended).contains(new Effect.CloseSession(first, 1000, "call ended"));
    var summary = (CallSummary) sessionEvents(ended).get(1);
    assertThat(summary.getReason()).isEqualTo("caller_hangup");
    assertThat(summary.getDurationMs()).isEqualTo(42_000L);
    assertThat(summary.getTurns()).isEqualTo(1);
    assertThat(summary.getToolCalls()).isEqualTo(1);
    assertThat(summary.getUsage().getOutputAudioTokens()).isEqualTo(15L);
    assertThat(summary.getCostUsd()).isPositive();
  }
}

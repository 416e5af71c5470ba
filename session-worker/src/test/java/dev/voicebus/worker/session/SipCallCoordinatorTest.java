package dev.voicebus.worker.session;

import static dev.voicebus.worker.session.CallFixture.functionCall;
import static dev.voicebus.worker.session.CallFixture.only;
import static dev.voicebus.worker.session.CallFixture.responseCreated;
import static dev.voicebus.worker.session.CallFixture.responseDone;
import static dev.voicebus.worker.session.CallFixture.sent;
import static dev.voicebus.worker.session.CallFixture.sessionEvents;
import static dev.voicebus.worker.session.CallFixture.toolResult;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallAction;
import dev.voicebus.avro.CallActionKind;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallSummary;
import dev.voicebus.avro.SessionReconnect;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ConversationItem;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.worker.realtime.SessionConfigs;
import dev.voicebus.worker.session.CallFixture.FakeConnection;
import dev.voicebus.worker.state.CallStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The decisions of a call OpenAI carries (SIP), with plain inputs: accept with the profile's
 * configuration, attach the sideband, run the same per-call logic, and tell OpenAI and Kafka how
 * the call ends. No sockets, no HTTP.
 */
class SipCallCoordinatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CallFixture f = CallFixture.sip();
  private final FakeConnection first = new FakeConnection("first");
  private final FakeConnection second = new FakeConnection("second");

  /** Starts the call, has OpenAI accept it and attaches the first sideband. */
  private void attached() {
    f.step(f.call.start(Optional.empty()));
    f.step(f.call.onAcceptAnswered(new CallsAnswer.Done()));
    f.step(f.call.onSessionOpened(1, first));
  }

  @Test
  void acceptsTheCallWithTheProfilesSessionConfigurationThenAttachesItsSideband() {
    List<Effect> started = f.step(f.call.start(Optional.empty()));

    assertThat(only(started, Effect.AcceptCall.class))
        .singleElement()
        .satisfies(
            a ->
                assertThat(a.session())
                    .isEqualTo(SessionConfigs.forCall(f.profile, AudioCodec.PCMU)));
    assertThat(only(started, Effect.OpenSession.class)).isEmpty();
    assertThat(only(started, Effect.AttachSession.class)).isEmpty();
    assertThat(f.call.sessionPhase()).isEqualTo("connecting");

    List<Effect> accepted = f.step(f.call.onAcceptAnswered(new CallsAnswer.Done()));
    assertThat(accepted).containsExactly(new Effect.AttachSession(1));

    List<Effect> opened = f.step(f.call.onSessionOpened(1, first));
    assertThat(sent(opened))
        .as("configured at accept: no session.update, nothing replayed")
        .isEmpty();
    assertThat(f.call.sessionPhase()).isEqualTo("open");
  }

  @Test
  void aCallAlreadyAcceptedByItsPreviousOwnerIsAttachedAndTheFailoverReportedWithoutAReplay() {
    f.step(f.call.start(Optional.of("worker failover")));
    List<Effect> answered = f.step(f.call.onAcceptAnswered(new CallsAnswer.AlreadyAccepted()));
    assertThat(answered).containsExactly(new Effect.AttachSession(1));

    List<Effect> opened = f.step(f.call.onSessionOpened(1, first));

    assertThat(sent(opened)).isEmpty();
    assertThat(sessionEvents(opened))
        .singleElement()
        .satisfies(
            e -> {
              var reconnect = (SessionReconnect) e;
              assertThat(reconnect.getReason()).isEqualTo("worker failover");
              assertThat(reconnect.getReplayedItems()).isZero();
            });
  }

  @Test
  void noIdleCheckRunsForACallWhoseAudioNeverReachesTheWorker() {
    List<Effect> started = f.step(f.call.start(Optional.empty()));

    assertThat(only(started, Effect.StartTimer.class))
        .extracting(Effect.StartTimer::key)
        .containsExactly(TimerKey.Call.MAX_DURATION);
  }

  @Test
  void aRetriableAcceptFailureIsAskedAgainAfterTheBackoff() {
    f.step(f.call.start(Optional.empty()));

    List<Effect> failed = f.step(f.call.onAcceptAnswered(new CallsAnswer.Failed("HTTP 503", true)));
    assertThat(only(failed, Effect.StartTimer.class))
        .extracting(Effect.StartTimer::key)
        .containsExactly(TimerKey.Call.RECONNECT);
    assertThat(only(failed, Effect.AcceptCall.class)).isEmpty();

    List<Effect> retried = f.step(f.call.onTimer(TimerKey.Call.RECONNECT));
    assertThat(only(retried, Effect.AcceptCall.class)).hasSize(1);
  }

  @Test
  void anAcceptRefusedForGoodRejectsTheRingingCallAndPublishesItsEnd() {
    f.step(f.call.start(Optional.empty()));

    List<Effect> refused =
        f.step(f.call.onAcceptAnswered(new CallsAnswer.Failed("HTTP 400 bad voice", false)));

    assertThat(refused).contains(new Effect.RejectCall(503));
    assertThat(only(refused, Effect.HangUpCall.class)).isEmpty();
    assertThat(ended(refused).getReason()).isEqualTo(CallEndReason.ERROR);
    assertThat(f.call.state().getStatus()).isEqualTo(CallStatus.ENDED);
    assertThat(f.call.sessionPhase()).isEqualTo("ended");
  }

  @Test
  void aCallGoneBeforeItWasAnsweredIsOver() {
    f.step(f.call.start(Optional.empty()));

    List<Effect> gone =
        f.step(f.call.onAcceptAnswered(new CallsAnswer.CallGone("HTTP 404 call_id_not_found")));

    assertThat(ended(gone).getReason()).isEqualTo(CallEndReason.CALLER_HANGUP);
    assertThat(only(gone, Effect.AttachSession.class)).isEmpty();
    assertThat(f.call.state().getStatus()).isEqualTo(CallStatus.ENDED);
  }

  @Test
  void keypadEventsOfTheSidebandReachTheModelThroughTheProfilesKeypadPolicy() {
    attached();

    for (String key : List.of("1", "2", "3", "4")) {
      assertThat(sent(f.server(1, dtmf(key)))).isEmpty();
    }
    List<Effect> done = f.server(1, dtmf("#"));

    assertThat(sent(done))
        .containsExactly(
            new ClientEvent.ConversationItemCreate(
                ConversationItem.userText("The caller pressed 1 2 3 4 #")),
            new ClientEvent.ResponseCreate());
  }

  @Test
  void aLostSidebandIsAttachedAgainAndGetsTheToolResultThatCameMeanwhile() throws Exception {
    attached();
    f.server(1, functionCall("call_t", "lookup_order", "{\"order_id\":\"A1001\"}"));
    f.server(1, responseDone("resp_t"));

    List<Effect> closed = f.step(f.call.onSessionClosed(1, 1006, "connection reset"));
    assertThat(CallFixture.transcripts(closed)).as("no line is settled as cut off").isEmpty();
    assertThat(only(closed, Effect.StartTimer.class))
        .extracting(Effect.StartTimer::key)
        .containsExactly(TimerKey.Call.RECONNECT);

    List<Effect> result =
        f.step(f.call.onToolResult(toolResult("call_t", "lookup_order", ToolStatus.OK, null)));
    assertThat(sent(result)).as("held while the sideband is away").isEmpty();

    assertThat(f.step(f.call.onTimer(TimerKey.Call.RECONNECT)))
        .contains(new Effect.AttachSession(2));
    List<Effect> reattached = f.step(f.call.onSessionOpened(2, second));

    assertThat(sent(reattached))
        .containsExactly(
            new ClientEvent.ConversationItemCreate(
                ConversationItem.functionCallOutput("call_t", "{\"ok\":true}")),
            new ClientEvent.ResponseCreate());
    assertThat(only(reattached, Effect.ToRealtime.class))
        .allSatisfy(e -> assertThat(e.via()).isSameAs(second));
    assertThat(sessionEvents(reattached)).hasAtLeastOneElementOfType(SessionReconnect.class);
  }

  @Test
  void aSidebandTakenOverByAnotherOwnerLeavesTheCallAlone() {
    attached();

    List<Effect> taken = f.step(f.call.onSessionClosed(1, 4001, "another sideband attached"));

    assertThat(only(taken, Effect.AttachSession.class)).isEmpty();
    assertThat(only(taken, Effect.StartTimer.class)).isEmpty();
    assertThat(only(taken, Effect.PublishCallEnded.class)).isEmpty();
    assertThat(only(taken, Effect.HangUpCall.class)).isEmpty();
    assertThat(only(taken, Effect.CloseSession.class)).isEmpty();
    assertThat(taken).contains(new Effect.CancelAllTimers());
    assertThat(f.call.sessionPhase()).isEqualTo("ended");
    assertThat(f.call.state().getStatus()).isEqualTo(CallStatus.LIVE);
  }

  @Test
  void aCallOpenAiNoLongerKnowsIsOverWhenItsSidebandCannotAttach() {
    attached();
    f.step(f.call.onSessionClosed(1, 1000, "call ended: caller_hung_up"));
    f.step(f.call.onTimer(TimerKey.Call.RECONNECT));

    List<Effect> gone = f.step(f.call.onCallGone(2, "HTTP 404 Not Found on WebSocket upgrade"));

    CallEnded ended = ended(gone);
    assertThat(ended.getReason()).isEqualTo(CallEndReason.CALLER_HANGUP);
    assertThat(ended.getCallId()).isEqualTo("call-1");
    assertThat(sessionEvents(gone)).hasAtLeastOneElementOfType(CallSummary.class);
    assertThat(only(gone, Effect.HangUpCall.class)).isEmpty();
    assertThat(f.call.state().getStatus()).isEqualTo(CallStatus.ENDED);
  }

  @Test
  void theAgentHangsUpThroughTheCallsApiOnceItsGoodbyeHasPlayedOnThePhone() {
    attached();
    f.server(1, functionCall("call_e", "end_call", "{\"reason\":\"done\"}"));
    f.server(1, responseDone("resp_t"));
    f.step(
        f.call.onToolResult(
            toolResult(
                "call_e",
                "end_call",
                ToolStatus.OK,
                new CallAction(CallActionKind.HANGUP, "resolved", null, null))));

    f.server(1, responseCreated("resp_bye"));
    f.server(1, new ServerEvent.OutputAudioBufferStarted("e", "resp_bye"));
    List<Effect> done = f.server(1, responseDone("resp_bye"));
    assertThat(only(done, Effect.HangUpCall.class)).as("the goodbye still plays").isEmpty();

    List<Effect> played = f.server(1, new ServerEvent.OutputAudioBufferStopped("e", "resp_bye"));

    assertThat(played).contains(new Effect.HangUpCall());
    assertThat(ended(played).getReason()).isEqualTo(CallEndReason.AGENT_HANGUP);
    assertThat(only(f.all, Effect.ToCaller.class)).as("no audio topics").isEmpty();
    assertThat(f.call.state().getStatus()).isEqualTo(CallStatus.ENDED);
  }

  @Test
  void aTransferIsReferredToOpenAiAndEndsTheCallAsTransferred() {
    attached();
    f.server(1, functionCall("call_t", "transfer_call", "{}"));
    f.server(1, responseDone("resp_t"));

    List<Effect> asked = f.step(f.call.onToolResult(transfer("call_t")));
    assertThat(asked).contains(new Effect.ReferCall("call_t", "tel:+15551234567"));

    List<Effect> referred = f.step(f.call.onReferAnswered("call_t", new CallsAnswer.Done()));

    CallEnded ended = ended(referred);
    assertThat(ended.getReason()).isEqualTo(CallEndReason.TRANSFERRED);
    assertThat(ended.getTransferTarget()).isEqualTo("+15551234567");
    assertThat(only(f.all, Effect.ToCaller.class)).isEmpty();
  }

  @Test
  void aFailedReferIsTheTransfersToolErrorAndTheCallGoesOn() throws Exception {
    attached();
    f.server(1, functionCall("call_t", "transfer_call", "{}"));
    f.server(1, responseDone("resp_t"));
    f.step(f.call.onToolResult(transfer("call_t")));

    List<Effect> failed =
        f.step(
            f.call.onReferAnswered(
                "call_t", new CallsAnswer.Failed("HTTP 400 invalid target_uri", false)));

    var output =
        (ConversationItem.FunctionCallOutput)
            ((ClientEvent.ConversationItemCreate) sent(failed).get(0)).item();
    assertThat(output.callId()).isEqualTo("call_t");
    assertThat(JSON.readTree(output.output()).get("error").asText()).isEqualTo("transfer_failed");
    assertThat(sent(failed).get(1)).isEqualTo(new ClientEvent.ResponseCreate());
    assertThat(only(failed, Effect.PublishCallEnded.class)).isEmpty();
    assertThat(f.call.sessionPhase()).isEqualTo("open");
  }

  @Test
  void aReferWaitsForTheAgentsAnnouncementToPlayOut() {
    attached();
    f.server(1, functionCall("call_t", "transfer_call", "{}"));
    f.server(1, responseDone("resp_t"));
    List<Effect> asked =
        f.step(
            f.call.onToolResult(
                toolResult(
                    "call_t",
                    "transfer_call",
                    ToolStatus.OK,
                    new CallAction(
                        CallActionKind.TRANSFER, null, "sip:billing@example.com", "Connecting."))));
    assertThat(only(asked, Effect.ReferCall.class)).isEmpty();

    f.server(1, responseCreated("resp_a"));
    f.server(1, new ServerEvent.OutputAudioBufferStarted("e", "resp_a"));
    assertThat(only(f.server(1, responseDone("resp_a")), Effect.ReferCall.class)).isEmpty();

    assertThat(f.server(1, new ServerEvent.OutputAudioBufferStopped("e", "resp_a")))
        .contains(new Effect.ReferCall("call_t", "sip:billing@example.com"));
  }

  @Test
  void aCallGoneWhileItsReferIsAnsweredEndsAsTheReferSays() {
    attached();
    f.server(1, functionCall("call_t", "transfer_call", "{}"));
    f.server(1, responseDone("resp_t"));
    f.step(f.call.onToolResult(transfer("call_t")));
    f.step(f.call.onSessionClosed(1, 1000, "call ended: transferred"));
    f.step(f.call.onTimer(TimerKey.Call.RECONNECT));

    assertThat(f.step(f.call.onCallGone(2, "HTTP 404"))).isEmpty();
    List<Effect> referred = f.step(f.call.onReferAnswered("call_t", new CallsAnswer.Done()));

    assertThat(ended(referred).getReason()).isEqualTo(CallEndReason.TRANSFERRED);
  }

  @Test
  void aHandOverClosesTheSidebandAndLeavesTheCallRunningAtOpenAi() {
    attached();
    f.server(1, responseCreated("resp_1"));

    List<Effect> handed = f.step(f.call.handOver());

    assertThat(only(handed, Effect.CloseSession.class))
        .singleElement()
        .satisfies(c -> assertThat(c.code()).isEqualTo(1001));
    assertThat(only(handed, Effect.HangUpCall.class)).isEmpty();
    assertThat(only(handed, Effect.PublishCallEnded.class)).isEmpty();
    assertThat(f.call.state().getResponseOwed()).isFalse();
    assertThat(f.call.state().getStatus()).isEqualTo(CallStatus.LIVE);
  }

  @Test
  void theMaximumDurationHangsTheCallUpThroughTheCallsApi() {
    attached();

    List<Effect> limit = f.step(f.call.onTimer(TimerKey.Call.MAX_DURATION));

    assertThat(limit).contains(new Effect.HangUpCall());
    assertThat(ended(limit).getReason()).isEqualTo(CallEndReason.MAX_DURATION);
    assertThat(only(limit, Effect.ToCaller.class)).isEmpty();
  }

  private static CallEnded ended(List<Effect> effects) {
    return only(effects, Effect.PublishCallEnded.class).stream()
        .map(Effect.PublishCallEnded::ended)
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no CallEnded published in " + effects));
  }

  private static ServerEvent.InputAudioBufferDtmfEventReceived dtmf(String key) {
    return new ServerEvent.InputAudioBufferDtmfEventReceived("e", key, 1L);
  }

  private static dev.voicebus.avro.ToolResult transfer(String toolCallId) {
    return toolResult(
        toolCallId,
        "transfer_call",
        ToolStatus.OK,
        new CallAction(CallActionKind.TRANSFER, null, "+15551234567", null));
  }
}

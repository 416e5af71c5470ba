package dev.voicebus.realtime.sandbox.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.realtime.client.CloseStatus;
import dev.voicebus.realtime.client.RealtimeHandshakeException;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ConversationItem;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.realtime.sandbox.ClientSession;
import dev.voicebus.realtime.sandbox.SandboxFixture;
import dev.voicebus.realtime.session.SessionConfig;
import dev.voicebus.realtime.session.TurnDetection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code ?call_id=} sideband socket of a simulated SIP call over a real WebSocket: who may
 * attach, the session it serves, the caller who plays the scenario on the phone leg, a second
 * socket taking over, and the end of the call. Every event is checked against OpenAI's schemas when
 * the fixture closes.
 */
class SipSidebandTest {

  private static SessionConfig support(String scenario) throws Exception {
    return SandboxFixture.telephony()
        .withInstructions("[scenario:" + scenario + "] You are the Acme support line.")
        .build();
  }

  @Test
  void refusesAModelWithACallIdAndCallsThatAreUnknownOrStillRinging() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      String ringing = f.ring(SipCallRequest.of("+15550100001", "+15550100000"));
      String accepted =
          f.answered(SipCallRequest.of("+15550100001", "+15550100000"), support("default"));

      RealtimeHandshakeException unknown = refused(() -> f.attach("rtc_nope"));
      RealtimeHandshakeException notYet = refused(() -> f.attach(ringing));
      int withModel = rawUpgradeStatus(f, "?model=gpt-realtime&call_id=" + accepted);

      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.body()).contains("call_id_not_found");
      assertThat(notYet.status()).isEqualTo(404);
      assertThat(withModel).isEqualTo(400);
      assertThat(f.view(accepted).sidebands()).isZero();
    }
  }

  @Test
  void servesTheSessionTheCallWasAcceptedWith() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      String callId =
          f.answered(SipCallRequest.of("+15550100001", "+15550100000"), support("default"));

      try (ClientSession s = f.attach(callId)) {
        var created = s.first(ServerEvent.SessionCreated.class).session();

        assertThat(created.id()).isEqualTo(f.view(callId).sessionId());
        assertThat(created.instructions()).contains("Acme support line");
        assertThat(created.audio().input().format().type()).isEqualTo("audio/pcmu");
        assertThat(created.audio().output().voice().id()).isEqualTo("marin");
        assertThat(created.tools())
            .extracting(t -> ((dev.voicebus.realtime.session.Tool.FunctionTool) t).name())
            .containsExactly("lookup_order");
        assertThat(created.audio().input().transcription()).isNotNull();
      }
    }
  }

  @Test
  void theCallerPlaysTheScenarioOnThePhoneAndHangsUpAtTheEnd() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      String callId =
          f.answered(SipCallRequest.of("+15550100001", "+15550100000"), support("default"));
      try (ClientSession s = f.attach(callId)) {
        s.next(ServerEvent.InputAudioBufferSpeechStarted.class);
        s.next(ServerEvent.InputAudioBufferSpeechStopped.class);
        s.next(ServerEvent.InputAudioBufferCommitted.class);
        assertThat(s.next(ServerEvent.InputAudioTranscriptionCompleted.class).transcript())
            .isEqualTo("Hi, I'd like to check on my order.");
        s.next(ServerEvent.ResponseCreated.class);
        s.next(ServerEvent.OutputAudioBufferStarted.class);
        assertThat(s.next(ServerEvent.ResponseOutputAudioTranscriptDone.class).transcript())
            .startsWith("Hello, thanks for calling Acme support.");
        s.next(ServerEvent.ResponseDone.class);
        s.next(ServerEvent.OutputAudioBufferStopped.class);

        var call = s.next(ServerEvent.ResponseFunctionCallArgumentsDone.class);
        assertThat(call.name()).isEqualTo("lookup_order");
        s.next(ServerEvent.ResponseDone.class);
        s.send(
            new ClientEvent.ConversationItemCreate(
                ConversationItem.functionCallOutput(
                    call.callId(), "{\"status\":\"shipped\",\"eta\":\"tomorrow\"}")));
        s.send(new ClientEvent.ResponseCreate());
        assertThat(s.next(ServerEvent.ResponseOutputAudioTranscriptDone.class).transcript())
            .contains("A1001 is shipped");

        assertThat(s.next(ServerEvent.ResponseOutputAudioTranscriptDone.class).transcript())
            .startsWith("You're welcome");
        CloseStatus closed = s.closed().get(15, TimeUnit.SECONDS);

        assertThat(closed.code()).isEqualTo(1000);
        assertThat(closed.reason()).isEqualTo("call ended: caller_hung_up");
        assertThat(s.all(ServerEvent.ResponseOutputAudioDelta.class)).isEmpty();
        assertThat(f.view(callId).endReason()).isEqualTo(SipEndReason.CALLER_HUNG_UP);
      }
    }
  }

  @Test
  void keypadStepsArriveAsDtmfEventsAndTheReportedKeysChooseTheAnswer() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      String callId = f.answered(SipCallRequest.of("+15550100001", "+15550100000"), support("pin"));
      try (ClientSession s = f.attach(callId)) {
        assertThat(s.next(ServerEvent.ResponseOutputAudioTranscriptDone.class).transcript())
            .contains("enter your four-digit PIN");

        StringBuilder keys = new StringBuilder();
        while (keys.length() < 5) {
          keys.append(s.next(ServerEvent.InputAudioBufferDtmfEventReceived.class).event());
        }
        s.send(
            new ClientEvent.ConversationItemCreate(
                ConversationItem.userText("The caller pressed 1 2 3 4 #")));
        s.send(new ClientEvent.ResponseCreate());

        assertThat(keys.toString()).isEqualTo("1234#");
        assertThat(s.next(ServerEvent.ResponseOutputAudioTranscriptDone.class).transcript())
            .startsWith("Thank you, your PIN is correct.");
        assertThat(s.first(ServerEvent.InputAudioBufferDtmfEventReceived.class).receivedAt())
            .isPositive();
      }
    }
  }

  @Test
  void aSecondSidebandTakesOverAndTheFirstIsClosed() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      String callId =
          f.answered(
              SipCallRequest.of("+15550100001", "+15550100000"),
              support("default").toBuilder().withTurnDetection(TurnDetection.MANUAL).build());
      ClientSession first = f.attach(callId);
      first.first(ServerEvent.SessionCreated.class);
      try (first;
          ClientSession second = f.attach(callId)) {
        CloseStatus superseded = first.closed().get(10, TimeUnit.SECONDS);
        second.first(ServerEvent.SessionCreated.class);
        second.send(new ClientEvent.ResponseCreate());

        assertThat(second.next(ServerEvent.ResponseDone.class).response().status())
            .isEqualTo("completed");
        assertThat(superseded.code()).isEqualTo(4001);
        assertThat(first.all(ServerEvent.ResponseCreated.class)).isEmpty();
        assertThat(second.sessionId()).isEqualTo(first.sessionId());
        assertThat(f.view(callId).sidebands()).isEqualTo(2);
        assertThat(f.view(callId).state()).isEqualTo(SipCallState.ACCEPTED);
      }
    }
  }

  @Test
  void aDroppedSidebandLeavesTheCallUpAndAReattachContinuesIt() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      String callId =
          f.answered(
              SipCallRequest.of("+15550100001", "+15550100000"),
              support("default").toBuilder().withTurnDetection(TurnDetection.MANUAL).build());
      String sessionId;
      try (ClientSession s = f.attach(callId)) {
        sessionId = s.sessionId();
        s.send(new ClientEvent.ResponseCreate());
        s.next(ServerEvent.ResponseDone.class);
        f.sandbox().sandbox().endSession(sessionId, 1006, "drop");
        assertThat(s.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1006);
      }

      try (ClientSession again = f.attach(callId)) {
        again.send(new ClientEvent.ResponseCreate());

        // The script goes on where the dropped socket left it: the second turn, a tool call.
        assertThat(again.sessionId()).isEqualTo(sessionId);
        assertThat(again.next(ServerEvent.ResponseFunctionCallArgumentsDone.class).name())
            .isEqualTo("lookup_order");
        assertThat(f.view(callId).state()).isEqualTo(SipCallState.ACCEPTED);
      }
    }
  }

  @Test
  void hangupAndReferCloseTheSidebandWith1000() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      SessionConfig quiet =
          support("default").toBuilder().withTurnDetection(TurnDetection.MANUAL).build();
      String hungUp = f.answered(SipCallRequest.of("+15550100001", "+15550100000"), quiet);
      String referred = f.answered(SipCallRequest.of("+15550100001", "+15550100000"), quiet);
      try (ClientSession a = f.attach(hungUp);
          ClientSession b = f.attach(referred)) {
        a.first(ServerEvent.SessionCreated.class);
        b.first(ServerEvent.SessionCreated.class);

        f.calls().hangup(hungUp).get(10, TimeUnit.SECONDS);
        f.calls().refer(referred, "tel:+14155550123").get(10, TimeUnit.SECONDS);

        assertThat(a.closed().get(10, TimeUnit.SECONDS))
            .isEqualTo(new CloseStatus(1000, "call ended: hung_up"));
        assertThat(b.closed().get(10, TimeUnit.SECONDS))
            .isEqualTo(new CloseStatus(1000, "call ended: transferred"));
        assertThat(refused(() -> f.attach(hungUp)).status()).isEqualTo(404);
        await().until(() -> f.sandbox().sandbox().liveSessions() == 0);
      }
    }
  }

  private interface Attach {
    ClientSession run() throws Exception;
  }

  private static RealtimeHandshakeException refused(Attach attach) {
    try {
      attach.run().close();
    } catch (ExecutionException e) {
      return (RealtimeHandshakeException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError("unexpected failure", e);
    }
    throw new AssertionError("the attach was not refused");
  }

  private static int rawUpgradeStatus(SipFixture f, String query) throws Exception {
    URI uri = URI.create(f.sandbox().sandbox().baseUri() + "/realtime" + query);
    try {
      HttpClient.newHttpClient()
          .newWebSocketBuilder()
          .header("Authorization", "Bearer sk-sandbox-test")
          .buildAsync(uri, new WebSocket.Listener() {})
          .join()
          .abort();
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
    return 101;
  }
}

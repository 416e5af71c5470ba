package dev.voicebus.realtime.sandbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ConversationItem;
import dev.voicebus.realtime.event.ResponseCreateParams;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.realtime.sandbox.ClientSession;
import dev.voicebus.realtime.sandbox.SandboxFixture;
import dev.voicebus.realtime.session.TurnDetection;
import org.junit.jupiter.api.Test;

/**
 * Keypad input over a real socket, as the session worker sends it (a user text message, then {@code
 * response.create}), changes what the scripted agent says; a response asked to say a line word for
 * word says it. Every event is checked against OpenAI's schema when the fixture closes.
 */
class KeypadTurnTest {

  private static String reply(ClientSession s) {
    s.next(ServerEvent.ResponseDone.class);
    var all = s.all(ServerEvent.ResponseOutputAudioTranscriptDone.class);
    return all.get(all.size() - 1).transcript();
  }

  @Test
  void theKeysPressedChooseTheAgentsAnswer() throws Exception {
    try (SandboxFixture f = SandboxFixture.start();
        ClientSession s =
            f.open(
                SandboxFixture.telephony()
                    .withInstructions("[scenario:pin] You are a bank.")
                    .withTurnDetection(TurnDetection.MANUAL)
                    .build())) {
      s.send(new ClientEvent.ResponseCreate());
      assertThat(reply(s)).contains("enter your four-digit PIN");

      s.send(
          new ClientEvent.ConversationItemCreate(
              ConversationItem.userText("The caller pressed 1 2 3 4 #")));
      s.send(new ClientEvent.ResponseCreate());

      assertThat(reply(s)).startsWith("Thank you, your PIN is correct.");
    }
  }

  @Test
  void aWrongEntryGetsTheOtherAnswer() throws Exception {
    try (SandboxFixture f = SandboxFixture.start();
        ClientSession s =
            f.open(
                SandboxFixture.telephony()
                    .withInstructions("[scenario:pin]")
                    .withTurnDetection(TurnDetection.MANUAL)
                    .build())) {
      s.send(new ClientEvent.ResponseCreate());
      reply(s);
      s.send(
          new ClientEvent.ConversationItemCreate(
              ConversationItem.userText("The caller pressed 4 3 2 1 #")));
      s.send(new ClientEvent.ResponseCreate());

      assertThat(reply(s)).isEqualTo("Sorry, that PIN is not correct.");
    }
  }

  @Test
  void aLineAskedForWordForWordIsSaid() throws Exception {
    try (SandboxFixture f = SandboxFixture.start();
        ClientSession s =
            f.open(SandboxFixture.telephony().withTurnDetection(TurnDetection.MANUAL).build())) {
      s.send(
          new ClientEvent.ResponseCreate(
              null,
              ResponseCreateParams.empty()
                  .withInstructions(
                      "Say exactly the following to the caller and nothing else: Connecting you"
                          + " to billing now.")));

      assertThat(reply(s)).isEqualTo("Connecting you to billing now.");
    }
  }
}

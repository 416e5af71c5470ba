package dev.voicebus.realtime.sandbox.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.realtime.sandbox.fault.FaultConfig;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scenario selection and the reply sequence of the bundled scenarios. */
class ScenarioCursorTest {
  private final ScenarioLibrary library =
      new ScenarioLibrary(ScenarioLoader.load(null, FaultConfig.NONE), "default");

  @Test
  void defaultScenarioGreetsThenCallsLookupOrderThenSpeaksItsOutput() {
    ScenarioCursor cursor = new ScenarioCursor(library.select("Be nice."));
    assertThat(cursor.callerLine()).contains("order");
    assertThat(cursor.nextReply(null, Set.of("lookup_order")).text()).contains("order number");
    ScenarioCursor.Reply call = cursor.nextReply(null, Set.of("lookup_order"));
    assertThat(call.tool().name()).isEqualTo("lookup_order");
    assertThat(call.tool().argumentsJson()).isEqualTo("{\"order_id\":\"A1001\"}");
    ScenarioCursor.Reply after =
        cursor.nextReply("{\"status\":\"shipped\",\"eta\":\"Friday\"}", Set.of("lookup_order"));
    assertThat(after.tool()).isNull();
    assertThat(after.text()).contains("shipped").contains("Friday");
    assertThat(cursor.nextReply(null, Set.of()).text()).contains("goodbye");
    assertThat(cursor.nextReply(null, Set.of()).text()).isEqualTo(Scenario.EXHAUSTED_LINE);
  }

  @Test
  void speaksTheFallbackWhenTheSessionDoesNotDeclareTheTool() {
    ScenarioCursor cursor = new ScenarioCursor(library.defaultScenario());
    cursor.nextReply(null, Set.of());
    ScenarioCursor.Reply reply = cursor.nextReply(null, Set.of("something_else"));
    assertThat(reply.tool()).isNull();
    assertThat(reply.text()).contains("can't look up orders");
  }

  @Test
  void aReplayedHistoryContinuesTheScriptWhereItLeftOff() {
    ScenarioCursor cursor = new ScenarioCursor(library.defaultScenario());
    cursor.onClientItem("message", "user");
    cursor.onClientItem("message", "assistant");

    assertThat(cursor.callerLine())
        .isEqualTo("It's A1001. I paid with my card 4111 1111 1111 1111.");
    assertThat(cursor.nextReply(null, Set.of("lookup_order")).tool().name())
        .isEqualTo("lookup_order");
  }

  @Test
  void aReplayedLineThatWasCutOffIsSaidAgain() {
    ScenarioCursor cursor = new ScenarioCursor(library.defaultScenario());
    cursor.onClientItem("message", "user", "Hi, I'd like to check on my order.");
    cursor.onClientItem("message", "assistant", "Hello, thanks for calling ");

    assertThat(cursor.nextReply(null, Set.of("lookup_order")).text())
        .isEqualTo(
            "Hello, thanks for calling Acme support. I can help with that. What is your order number?");
    assertThat(cursor.callerLine())
        .isEqualTo("It's A1001. I paid with my card 4111 1111 1111 1111.");
  }

  @Test
  void aReplayedWholeLineCompletesItsTurn() {
    ScenarioCursor cursor = new ScenarioCursor(library.defaultScenario());
    cursor.onClientItem(
        "message",
        "assistant",
        "Hello, thanks for calling Acme support. I can help with that. What is your order number?");

    assertThat(cursor.callerLine())
        .isEqualTo("It's A1001. I paid with my card 4111 1111 1111 1111.");
  }

  @Test
  void aReplayedPendingToolCallIsAnsweredByTheAfterToolLine() {
    ScenarioCursor cursor = new ScenarioCursor(library.defaultScenario());
    cursor.onClientItem("message", "assistant");
    cursor.onClientItem("function_call", "");
    cursor.onClientItem("message", "system");

    var after =
        cursor.nextReply("{\"status\":\"shipped\",\"eta\":\"Friday\"}", Set.of("lookup_order"));
    assertThat(after.tool()).isNull();
    assertThat(after.text()).contains("shipped");
    assertThat(cursor.nextReply(null, Set.of()).text()).contains("goodbye");
  }

  @Test
  void selectsScenariosByInstructionMarker() {
    assertThat(library.select("You are terse. [scenario:tools]").name()).isEqualTo("tools");
    assertThat(library.select(null).name()).isEqualTo("default");
  }

  @Test
  void rendersMissingFieldsAsUnknownAndWholeOutput() {
    assertThat(ScenarioCursor.render("{{output.x}}/{{output}}", "not json"))
        .isEqualTo("unknown/not json");
  }

  @Test
  void aKeypadTurnWaitsForKeysAndBranchesOnThem() {
    ScenarioCursor right = new ScenarioCursor(library.select("[scenario:pin]"));
    assertThat(right.nextReply(null, Set.of()).text()).contains("enter your four-digit PIN");
    assertThat(right.nextReply(null, Set.of()).text())
        .as("a response before any key re-prompts and keeps waiting")
        .isEqualTo("Please enter your PIN on your keypad, then press the pound key.");
    right.onClientItem("message", "user", "The caller pressed 1 2 3 4 #");
    assertThat(right.nextReply(null, Set.of()).text())
        .startsWith("Thank you, your PIN is correct.");
    assertThat(right.callerLine()).isEqualTo("Thanks, bye.");

    ScenarioCursor wrong = new ScenarioCursor(library.select("[scenario:pin]"));
    wrong.nextReply(null, Set.of());
    wrong.onClientItem("message", "user", "The caller pressed 9 9 9 9 #");
    assertThat(wrong.nextReply(null, Set.of()).text()).isEqualTo("Sorry, that PIN is not correct.");
  }

  @Test
  void userTextThatReportsNoKeysIsNotKeypadInput() {
    ScenarioCursor cursor = new ScenarioCursor(library.select("[scenario:pin]"));
    cursor.nextReply(null, Set.of());
    cursor.onClientItem("message", "user", "I pressed the wrong button earlier");

    assertThat(cursor.nextReply(null, Set.of()).text()).startsWith("Please enter your PIN");
  }

  @Test
  void aReplayedRepromptDoesNotCompleteTheKeypadTurn() {
    ScenarioCursor cursor = new ScenarioCursor(library.select("[scenario:pin]"));
    cursor.onClientItem(
        "message",
        "assistant",
        "Sure. Please enter your four-digit PIN on your keypad, then press the pound key.");
    cursor.onClientItem(
        "message", "assistant", "Please enter your PIN on your keypad, then press the pound key.");
    cursor.onClientItem("message", "user", "The caller pressed 1 2 3 4 #");

    assertThat(cursor.nextReply(null, Set.of()).text())
        .startsWith("Thank you, your PIN is correct.");
  }

  @Test
  void aResponseAskedToSayALineWordForWordSaysItWithoutMovingTheScript() {
    assertThat(
            ScenarioCursor.verbatim(
                    "Say exactly the following to the caller and nothing else: Connecting you to"
                        + " billing now.")
                .map(ScenarioCursor.Reply::text))
        .contains("Connecting you to billing now.");
    assertThat(ScenarioCursor.verbatim("Be brief.")).isEmpty();
    assertThat(ScenarioCursor.verbatim(null)).isEmpty();
  }
}

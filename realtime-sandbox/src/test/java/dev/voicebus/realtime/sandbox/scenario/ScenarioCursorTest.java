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

    assertThat(cursor.callerLine()).isEqualTo("It's A1001.");
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
    assertThat(cursor.callerLine()).isEqualTo("It's A1001.");
  }

  @Test
  void aReplayedWholeLineCompletesItsTurn() {
    ScenarioCursor cursor = new ScenarioCursor(library.defaultScenario());
    cursor.onClientItem(
        "message",
        "assistant",
        "Hello, thanks for calling Acme support. I can help with that. What is your order number?");

    assertThat(cursor.callerLine()).isEqualTo("It's A1001.");
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
}

package dev.voicebus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mission end to end, through the command a newcomer runs first: a Twilio Media Stream into
 * ingest, Kafka, a session worker holding a Realtime session with the sandbox over a real socket,
 * the tool executor answering over Kafka, and the agent's audio and transcript coming back.
 */
class DemoIT {

  @Test
  void demoCallCarriesTheWholeConversationIncludingAToolCallAndIsAssembledByAnalytics() {
    var captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      exit = VoicebusCli.run("demo", "--openai-key=");
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    original.println(output);

    assertThat(exit).isZero();
    assertThat(output).as("the card number the caller gave is redacted").doesNotContain("4111");
    List<String> lines = output.lines().map(String::strip).toList();
    assertThat(lines)
        .containsSubsequence(
            "caller | Hi, I'd like to check on my order.",
            "agent  | Hello, thanks for calling Acme support. I can help with that. What is your order number?",
            "caller | It's A1001. I paid with my card [card ****1111].",
            "tool   | -> lookup_order {\"order_id\":\"A1001\"}")
        .anySatisfy(
            l -> assertThat(l).startsWith("tool   | <- ok {").contains("\"status\":\"shipped\""))
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("agent  | Thanks for waiting. Your order A1001 is shipped"))
        .contains(
            "caller | Great, that's all I needed. Thanks!",
            "agent  | You're welcome. Have a great day, goodbye!")
        .anySatisfy(l -> assertThat(l).startsWith("agent responses 4, tool calls 1, reconnects 0"))
        .anySatisfy(l -> assertThat(l).startsWith("tool round trip"))
        .noneSatisfy(l -> assertThat(l).startsWith("error"));
    // The analytics service assembled the call and its tenant's usage, read back over its API.
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).startsWith("Web console (while the demo runs): http://"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches("call \\S+: ENDED \\(\\w+\\), 6 turns, 1 tool call\\(s\\), .*"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "tenant default today: 1 call\\(s\\), [0-9.]+ min, [1-9][0-9]* tokens, \\$.*"));
  }
}

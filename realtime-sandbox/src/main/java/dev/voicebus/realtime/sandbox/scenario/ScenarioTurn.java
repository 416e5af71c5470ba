package dev.voicebus.realtime.sandbox.scenario;

/**
 * One scripted exchange: what the caller said (used for input transcription) and the agent's reply:
 * spoken text, a tool call followed by a template that may quote the tool output, or a wait for
 * keypad input that branches on the keys pressed.
 *
 * @param caller the caller's words in this turn, or empty
 * @param say what the agent says when the turn has no tool call
 * @param tool the tool to call, or null
 * @param afterTool template spoken after the tool output arrives; {@code {{output.FIELD}}} and
 *     {@code {{output}}} are replaced from the function_call_output
 * @param fallback what the agent says if the session does not declare the tool
 * @param keypad the keypad entry this turn waits for, or null
 */
public record ScenarioTurn(
    String caller,
    String say,
    ToolCallStep tool,
    String afterTool,
    String fallback,
    KeypadStep keypad) {

  /** A spoken or tool turn. */
  public ScenarioTurn(
      String caller, String say, ToolCallStep tool, String afterTool, String fallback) {
    this(caller, say, tool, afterTool, fallback, null);
  }

  public ScenarioTurn {
    caller = caller == null ? "" : caller;
    say = say == null ? "" : say;
    afterTool = afterTool == null ? "Done. The result is {{output}}." : afterTool;
    fallback = fallback == null ? "Sorry, I can't look that up right now." : fallback;
    if (tool == null && keypad == null && say.isEmpty()) {
      throw new IllegalArgumentException("A scenario turn needs 'say', 'tool' or 'keypad'");
    }
  }
}

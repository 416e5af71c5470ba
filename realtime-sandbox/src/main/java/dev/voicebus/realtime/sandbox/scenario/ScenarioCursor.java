package dev.voicebus.realtime.sandbox.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A session's position in its scenario. Each user turn reads the caller line of the next turn (for
 * transcription); each response consumes that turn, or, after a tool call, speaks the turn's
 * after-tool template filled from the function output. A keypad turn waits for a user message
 * reporting keys ("The caller pressed 1 2 3 4 #", as the session worker sends them) and branches on
 * them; until one arrives its responses re-prompt. Not thread-safe (one per session).
 */
public final class ScenarioCursor {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{output(?:\\.([A-Za-z0-9_]+))?}}");
  private static final Pattern PRESSED =
      Pattern.compile("(?i).*\\bpressed\\s+([0-9*#A-D](?:\\s+[0-9*#A-D])*)\\s*\\.?\\s*");

  private static final Pattern SAY_EXACTLY =
      Pattern.compile("(?s)\\s*Say exactly[^:]*:\\s*(.*\\S)\\s*");

  private final Scenario scenario;
  private int next;
  private ScenarioTurn pendingTool;
  private String pressedKeys;

  public ScenarioCursor(Scenario scenario) {
    this.scenario = scenario;
  }

  public Scenario scenario() {
    return scenario;
  }

  /**
   * The turn the next caller input answers, or null when every turn has been played (a SIP call's
   * simulated caller reads it to know whether to speak, key in, or hang up).
   */
  public ScenarioTurn upcoming() {
    return next < scenario.turns().size() ? scenario.turns().get(next) : null;
  }

  /** True while a tool call of the script waits for its function_call_output. */
  public boolean awaitingToolOutput() {
    return pendingTool != null;
  }

  /** True when every turn has been answered and no tool output is pending. */
  public boolean finished() {
    return pendingTool == null && next >= scenario.turns().size();
  }

  /** What the caller says in the upcoming turn, for input transcription. */
  public String callerLine() {
    return next < scenario.turns().size() ? scenario.turns().get(next).caller() : "";
  }

  /**
   * Decides the next reply. {@code toolOutput} is the latest function_call_output when it answers
   * this cursor's pending tool call (else null); {@code declaredTools} are the session's function
   * tool names.
   */
  public Reply nextReply(String toolOutput, Set<String> declaredTools) {
    if (pendingTool != null && toolOutput != null) {
      ScenarioTurn turn = pendingTool;
      pendingTool = null;
      return Reply.speak(render(turn.afterTool(), toolOutput));
    }
    pendingTool = null;
    if (next >= scenario.turns().size()) {
      return Reply.speak(Scenario.EXHAUSTED_LINE);
    }
    ScenarioTurn turn = scenario.turns().get(next);
    if (turn.keypad() != null) {
      if (pressedKeys == null) {
        return Reply.speak(turn.keypad().reprompt());
      }
      next++;
      String keys = pressedKeys;
      pressedKeys = null;
      return Reply.speak(turn.keypad().answer(keys));
    }
    next++;
    if (turn.tool() == null) {
      return Reply.speak(turn.say());
    }
    if (!declaredTools.contains(turn.tool().name())) {
      return Reply.speak(turn.fallback());
    }
    pendingTool = turn;
    return Reply.call(turn.tool(), turn.say());
  }

  /**
   * The reply to a response whose instructions ask for a line word for word ({@code "Say exactly
   * ...: LINE"}, as the session worker asks for a transfer's announcement): that line, without
   * moving the script; empty for any other instructions.
   */
  public static Optional<Reply> verbatim(String responseInstructions) {
    if (responseInstructions == null) {
      return Optional.empty();
    }
    Matcher m = SAY_EXACTLY.matcher(responseInstructions);
    return m.matches() ? Optional.of(Reply.speak(m.group(1))) : Optional.empty();
  }

  /**
   * A conversation item the client created (as a client does when it rebuilds a conversation on a
   * new session) moves the script the way a model reading that history would: an assistant message
   * is a reply already given (a spoken turn, or the line after a tool), a function call is a tool
   * turn already taken, whose output may still come.
   */
  public void onClientItem(String type, String role) {
    onClientItem(type, role, null);
  }

  /**
   * As {@link #onClientItem(String, String)}, with the text of a message item. An assistant message
   * that is only the start of the upcoming turn's line (speech cut off by a dropped connection)
   * does not complete that turn: as a model would, the next response says the line again.
   */
  public void onClientItem(String type, String role, String text) {
    if ("message".equals(type) && "user".equals(role) && text != null) {
      Matcher pressed = PRESSED.matcher(text);
      if (pressed.matches()) {
        pressedKeys = pressed.group(1).replaceAll("\\s+", "");
      }
      return;
    }
    if ("message".equals(type) && "assistant".equals(role) && isCutOffLine(text)) {
      return;
    }
    if ("message".equals(type) && "assistant".equals(role)) {
      pressedKeys = null;
    }
    if ("function_call".equals(type)) {
      if (next < scenario.turns().size() && scenario.turns().get(next).tool() != null) {
        pendingTool = scenario.turns().get(next++);
      }
    } else if ("message".equals(type) && "assistant".equals(role)) {
      if (pendingTool != null) {
        pendingTool = null;
      } else if (next < scenario.turns().size()) {
        next++;
      }
    }
  }

  private boolean isCutOffLine(String text) {
    if (text == null || pendingTool != null || next >= scenario.turns().size()) {
      return false;
    }
    KeypadStep keypad = scenario.turns().get(next).keypad();
    if (keypad != null) {
      // A re-prompt said while waiting for keys does not complete the keypad turn.
      return text.strip().equals(keypad.reprompt());
    }
    String say = scenario.turns().get(next).say();
    String heard = text.strip();
    return say != null && heard.length() < say.strip().length() && say.startsWith(heard);
  }

  /** Replaces {@code {{output}}} and {@code {{output.FIELD}}} with values from the JSON output. */
  public static String render(String template, String output) {
    JsonNode json = parseOrNull(output);
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String field = m.group(1);
      String value;
      if (field == null) {
        value = output;
      } else if (json != null && json.has(field)) {
        value =
            json.get(field).isValueNode() ? json.get(field).asText() : json.get(field).toString();
      } else {
        value = "unknown";
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static JsonNode parseOrNull(String output) {
    try {
      JsonNode n = MAPPER.readTree(output);
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The reply for one response: spoken text, or a tool call (with optional preamble text).
   *
   * @param text what to say (for a tool call: said before the call, may be empty)
   * @param tool the tool call, or null
   */
  public record Reply(String text, ToolCallStep tool) {
    static Reply speak(String text) {
      return new Reply(text, null);
    }

    static Reply call(ToolCallStep tool, String preamble) {
      return new Reply(preamble, tool);
    }
  }
}

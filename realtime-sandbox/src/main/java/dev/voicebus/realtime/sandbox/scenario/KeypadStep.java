package dev.voicebus.realtime.sandbox.scenario;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A scenario turn that waits for keypad input and branches on it: the first branch whose keys equal
 * the keys the caller pressed is spoken, else {@code otherwise}; a response asked for before any
 * keys arrived speaks {@code reprompt} and keeps waiting. Keys are compared without spaces and
 * without a final {@code #} (the usual terminator), so {@code "1234"} matches "1 2 3 4 #".
 *
 * @param branches the expected entries and what the agent says for each, in order
 * @param otherwise what the agent says for any other entry
 * @param reprompt what the agent says while no keys have been pressed yet
 * @param press what a simulated SIP caller keys in at this turn (default: the first branch's keys
 *     and {@code #})
 */
public record KeypadStep(List<Branch> branches, String otherwise, String reprompt, String press) {

  /** One expected entry and the line for it. */
  public record Branch(String keys, String say) {
    public Branch {
      Objects.requireNonNull(keys, "keys");
      Objects.requireNonNull(say, "say");
    }
  }

  public KeypadStep {
    branches = List.copyOf(branches);
    otherwise = otherwise == null ? "Sorry, I didn't recognise that entry." : otherwise;
    reprompt = reprompt == null ? "Please use your keypad." : reprompt;
    if (press == null || press.isBlank()) {
      String first = branches.isEmpty() ? "" : branches.get(0).keys().replaceAll("\\s+", "");
      press = first.endsWith("#") ? first : first + "#";
    }
    if (!press.matches("[0-9*#A-D]+")) {
      throw new IllegalArgumentException(
          "keypad 'press' must be keypad keys (0-9 * # A-D), got '" + press + "'");
    }
  }

  /** A keypad turn without explicit {@code press}. */
  public KeypadStep(List<Branch> branches, String otherwise, String reprompt) {
    this(branches, otherwise, reprompt, null);
  }

  /** The line for the entry {@code pressed} (e.g. {@code "1234#"}). */
  public String answer(String pressed) {
    String entry = normalize(pressed);
    return branches.stream()
        .filter(b -> normalize(b.keys()).equals(entry))
        .map(Branch::say)
        .findFirst()
        .orElse(otherwise);
  }

  private static String normalize(String keys) {
    String compact = keys.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
    return compact.endsWith("#") ? compact.substring(0, compact.length() - 1) : compact;
  }
}

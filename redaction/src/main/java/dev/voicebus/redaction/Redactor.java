package dev.voicebus.redaction;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.redaction.detect.CueState;
import dev.voicebus.redaction.detect.DetectorSet;
import dev.voicebus.redaction.detect.Finding;
import dev.voicebus.redaction.detect.ScanResult;
import dev.voicebus.redaction.detect.Scanner;
import dev.voicebus.redaction.json.JsonRedactor;
import dev.voicebus.redaction.policy.RedactionPolicy;
import java.util.List;

/**
 * The entry point of redaction for one {@link RedactionPolicy}: build one per agent profile and
 * share it. It redacts whole texts ({@link #redact}), JSON documents ({@link #redactJson}) and
 * keypad entries ({@link #keypad}), and makes a {@link CallRedactor} per call for streamed
 * transcripts and context across turns.
 *
 * <p>Immutable and thread-safe; the work per text is linear in its length and allocates no
 * patterns.
 */
public final class Redactor {

  private final RedactionPolicy policy;
  private final DetectorSet detectors;
  private final Scanner scanner;
  private final JsonRedactor json;

  private Redactor(RedactionPolicy policy) {
    this.policy = policy;
    this.detectors = new DetectorSet(policy);
    this.scanner = new Scanner(detectors);
    this.json = new JsonRedactor(scanner, this::redact);
  }

  public static Redactor of(RedactionPolicy policy) {
    return new Redactor(policy);
  }

  /** With {@link RedactionPolicy#defaults()}. */
  public static Redactor defaults() {
    return new Redactor(RedactionPolicy.defaults());
  }

  public RedactionPolicy policy() {
    return policy;
  }

  /**
   * {@code text} with every sensitive value replaced, judged with the context inside the text only
   * (a code after "security code" or after a card number in the same text).
   */
  public String redact(String text) {
    if (text == null || text.isEmpty() || !active()) {
      return text;
    }
    ScanResult r = scan(text);
    return detectors.render(text, 0, r);
  }

  /** The sensitive values in {@code text}, in order, overlapping ones merged. */
  public List<Finding> find(String text) {
    if (text == null || text.isEmpty() || !active()) {
      return List.of();
    }
    return scan(text).findings();
  }

  /**
   * A JSON document with sensitive string values (and digit-only numbers) replaced, still valid
   * JSON; values sealed by {@link dev.voicebus.redaction.crypto.FieldCipher} are kept. Text that is
   * not valid JSON is redacted as plain text.
   */
  public String redactJson(String jsonText) {
    if (jsonText == null || jsonText.isEmpty() || !active()) {
      return jsonText;
    }
    return json.redact(jsonText);
  }

  /** A redacted copy of {@code node}. */
  public JsonNode redactJson(JsonNode node) {
    if (node == null || !active()) {
      return node;
    }
    return json.redact(node);
  }

  /**
   * Keypad input as it may be published: every digit masked if the policy marks keypad input
   * sensitive, otherwise redacted like any text (a card number typed on the keypad is still a card
   * number).
   */
  public String keypad(String keys) {
    if (policy.enabled() && policy.keypadSensitive()) {
      return KeypadMask.mask(keys);
    }
    return redact(keys);
  }

  /** A redactor for one call's streamed transcripts and context; see {@link CallRedactor}. */
  public CallRedactor newCall() {
    return new CallRedactor(this);
  }

  boolean active() {
    return detectors.active();
  }

  Scanner scanner() {
    return scanner;
  }

  DetectorSet detectors() {
    return detectors;
  }

  private ScanResult scan(String text) {
    return scanner.scanWhole(text, CueState.empty());
  }
}

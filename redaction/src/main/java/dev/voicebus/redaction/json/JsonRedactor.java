package dev.voicebus.redaction.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.voicebus.redaction.crypto.FieldCipher;
import dev.voicebus.redaction.detect.CueState;
import dev.voicebus.redaction.detect.DetectorSet;
import dev.voicebus.redaction.detect.Finding;
import dev.voicebus.redaction.detect.ScanResult;
import dev.voicebus.redaction.detect.Scanner;
import dev.voicebus.redaction.policy.DetectorKind;
import dev.voicebus.redaction.text.Cue;
import dev.voicebus.redaction.text.CueFinder;
import dev.voicebus.redaction.text.CueKind;
import dev.voicebus.redaction.text.Tokens;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Redacts the values of a JSON document (tool arguments, event payloads) and keeps it valid JSON.
 * Each string value, and each number written only in digits, is scanned like text, with its field
 * name as context: {@code "cvv": "123"}, {@code "expiry": "12/27"} or {@code "ssn": ...} are
 * replaced whole, and in a document that holds a card number {@code "code"}, {@code "exp_month"}
 * and the like count as card fields too. A number that is redacted becomes a string label. Field
 * names and values sealed by {@link FieldCipher} are left as they are. Thread-safe.
 */
public final class JsonRedactor {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  /** Field-name words that mean a card code or date only in a document that holds a card. */
  private static final Map<String, CueKind> CARD_FIELD_WORDS =
      Map.of(
          "code", CueKind.CVV,
          "exp", CueKind.EXPIRY,
          "month", CueKind.EXPIRY,
          "year", CueKind.EXPIRY,
          "mm", CueKind.EXPIRY,
          "yy", CueKind.EXPIRY,
          "yyyy", CueKind.EXPIRY);

  /** Field cues whose value is sensitive as a whole, with the detector that must be on. */
  private static final Map<CueKind, DetectorKind> WHOLE_VALUE =
      Map.of(
          CueKind.CVV, DetectorKind.CVV,
          CueKind.EXPIRY, DetectorKind.EXPIRY,
          CueKind.SSN, DetectorKind.SSN,
          CueKind.SIN, DetectorKind.CA_SIN,
          CueKind.NINO, DetectorKind.UK_NINO);

  private final Scanner scanner;
  private final DetectorSet detectors;
  private final UnaryOperator<String> plainText;

  /**
   * @param plainText redaction of text that is not valid JSON
   */
  public JsonRedactor(Scanner scanner, UnaryOperator<String> plainText) {
    this.scanner = scanner;
    this.detectors = scanner.detectors();
    this.plainText = plainText;
  }

  public String redact(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return plainText.apply(json);
    }
    if (node == null) {
      return plainText.apply(json);
    }
    JsonNode redacted = redact(node);
    try {
      return MAPPER.writeValueAsString(redacted);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written back", e);
    }
  }

  public JsonNode redact(JsonNode node) {
    boolean holdsCard = holdsCard(node);
    return value(node.deepCopy(), CueState.empty(), holdsCard);
  }

  private JsonNode value(JsonNode node, CueState field, boolean holdsCard) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        e.setValue(value(e.getValue(), fieldCues(e.getKey(), holdsCard), holdsCard));
      }
      return object;
    }
    if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        array.set(i, value(array.get(i), field, holdsCard));
      }
      return array;
    }
    String text = scalarText(node);
    if (text == null) {
      return node;
    }
    String redacted = redactValue(text, field);
    if (redacted.equals(text)) {
      return node;
    }
    return TextNode.valueOf(redacted);
  }

  /** The text of a string, or the digits of a non-negative integral number; null otherwise. */
  private static String scalarText(JsonNode node) {
    if (node.isTextual()) {
      return FieldCipher.isSealed(node.textValue()) ? null : node.textValue();
    }
    if (node.isIntegralNumber() && node.bigIntegerValue().signum() >= 0) {
      return node.bigIntegerValue().toString();
    }
    return null;
  }

  private String redactValue(String text, CueState field) {
    for (Map.Entry<CueKind, DetectorKind> e : WHOLE_VALUE.entrySet()) {
      if (field.ownKinds().contains(e.getKey()) && detectors.on(e.getValue()) && hasDigit(text)) {
        DetectorKind kind = e.getValue();
        return detectors.replacement(new Finding(kind, kind.label(), 0, text.length(), null));
      }
    }
    ScanResult r = scanner.scanWhole(text, field);
    return detectors.render(text, 0, r);
  }

  /**
   * The cues in a field name ("securityCode", "exp_month"), plus card fields in a card document.
   */
  private static CueState fieldCues(String name, boolean holdsCard) {
    CueState state = CueState.empty();
    String words = CueFinder.fieldWords(name);
    List<Cue> cues = CueFinder.find(Tokens.of(words, 0, words.length()), 0);
    for (Cue cue : cues) {
      state.absorb(cue.kind());
    }
    if (holdsCard) {
      for (String word : words.split(" ", -1)) {
        CueKind kind = CARD_FIELD_WORDS.get(word);
        if (kind != null) {
          state.absorb(kind);
        }
      }
    }
    return state;
  }

  /** Whether any value of the document is or contains a card number. */
  private boolean holdsCard(JsonNode node) {
    if (!detectors.on(DetectorKind.CARD)) {
      return false;
    }
    if (node.isContainerNode()) {
      for (JsonNode child : node) {
        if (holdsCard(child)) {
          return true;
        }
      }
      return false;
    }
    String text = scalarText(node);
    if (text == null || text.length() < 13) {
      return false;
    }
    ScanResult r = scanner.scanWhole(text, CueState.empty());
    for (Finding f : r.findings()) {
      if (f.kind() == DetectorKind.CARD) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasDigit(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        return true;
      }
    }
    return false;
  }
}

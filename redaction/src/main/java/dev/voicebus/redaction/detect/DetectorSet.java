package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.policy.CustomPattern;
import dev.voicebus.redaction.policy.DetectorKind;
import dev.voicebus.redaction.policy.RedactionPolicy;
import dev.voicebus.redaction.policy.ReplacementStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The detectors a {@link RedactionPolicy} turns on, built once per policy (patterns compiled here,
 * never per call), and the replacement text of each finding. Immutable and thread-safe.
 */
public final class DetectorSet {

  private static final Pattern EMAIL =
      Pattern.compile(
          "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"
              + "(?![A-Za-z0-9-])");
  private static final int EMAIL_WINDOW = 64;
  private static final int NINO_WINDOW = 16;

  /** How far back a partial match of a custom pattern is looked for in streamed text. */
  public static final int CUSTOM_WINDOW = 64;

  private final RedactionPolicy policy;
  private final CardNumberDetector card;
  private final List<RunDetector> runDetectors = new ArrayList<>();
  private final List<RegexDetector> textDetectors = new ArrayList<>();
  private final Map<String, ReplacementStyle> customStyles = new HashMap<>();

  public DetectorSet(RedactionPolicy policy) {
    this.policy = policy;
    this.card = new CardNumberDetector(policy.isOn(DetectorKind.CARD));
    if (on(DetectorKind.CARD)) {
      // first: while a card number is awaited, digits are more likely part of it than a date
      runDetectors.add(new CardFragmentDetector());
    }
    if (on(DetectorKind.EXPIRY)) {
      runDetectors.add(new ExpiryDetector());
    }
    if (on(DetectorKind.CVV)) {
      runDetectors.add(new CvvDetector());
    }
    if (on(DetectorKind.SSN)) {
      runDetectors.add(new SsnDetector());
    }
    if (on(DetectorKind.CA_SIN)) {
      runDetectors.add(new SinDetector());
    }
    if (on(DetectorKind.UK_NINO)) {
      runDetectors.add(new NinoDetector());
      textDetectors.add(
          new RegexDetector(
              DetectorKind.UK_NINO,
              DetectorKind.UK_NINO.label(),
              NinoDetector.WRITTEN,
              NinoDetector::writtenAllocated,
              NINO_WINDOW));
    }
    if (on(DetectorKind.PHONE)) {
      runDetectors.add(new PhoneDetector());
    }
    if (on(DetectorKind.EMAIL)) {
      textDetectors.add(
          new RegexDetector(
              DetectorKind.EMAIL, DetectorKind.EMAIL.label(), EMAIL, m -> true, EMAIL_WINDOW));
    }
    if (policy.enabled()) {
      for (CustomPattern custom : policy.custom()) {
        textDetectors.add(
            new RegexDetector(
                DetectorKind.CUSTOM, custom.name(), custom.pattern(), m -> true, CUSTOM_WINDOW));
        customStyles.put(custom.name(), custom.replacement());
      }
    }
  }

  public RedactionPolicy policy() {
    return policy;
  }

  public boolean on(DetectorKind kind) {
    return policy.isOn(kind);
  }

  /** Whether any detector is on. */
  public boolean active() {
    return on(DetectorKind.CARD) || !runDetectors.isEmpty() || !textDetectors.isEmpty();
  }

  CardNumberDetector card() {
    return card;
  }

  List<RunDetector> runDetectors() {
    return runDetectors;
  }

  List<RegexDetector> textDetectors() {
    return textDetectors;
  }

  /** The text from {@code from} to the scan's hold point with every finding replaced. */
  public String render(CharSequence text, int from, ScanResult result) {
    StringBuilder sb = new StringBuilder(result.hold() - from + 16);
    int pos = from;
    for (Finding f : result.findings()) {
      sb.append(text, pos, f.start()).append(replacement(f));
      pos = f.end();
    }
    sb.append(text, pos, result.hold());
    return sb.toString();
  }

  /** The text that replaces {@code f}: {@code [card ****1111]}, {@code [cvv]} or the mask. */
  public String replacement(Finding f) {
    ReplacementStyle style =
        f.kind() == DetectorKind.CUSTOM
            ? customStyles.getOrDefault(f.name(), ReplacementStyle.LABEL)
            : policy.replacement(f.kind());
    return switch (style) {
      case LABEL_LAST4 ->
          f.last4() == null ? "[" + f.name() + "]" : "[" + f.name() + " ****" + f.last4() + "]";
      case LABEL -> "[" + f.name() + "]";
      case MASK -> policy.mask();
    };
  }
}

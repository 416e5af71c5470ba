package dev.voicebus.redaction.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the phrases that put the numbers after them in context ("security code", "expires", "social
 * security"), matching words case-insensitively across spaces and hyphens. A phrase table keyed by
 * first word keeps this one lookup per word.
 */
public final class CueFinder {

  private static final Map<String, List<Phrase>> PHRASES = new HashMap<>();

  private record Phrase(CueKind kind, List<String> words) {}

  static {
    add(
        CueKind.CARD,
        "card number",
        "card numbers",
        "credit card",
        "debit card",
        "payment card",
        "bank card",
        "card details",
        "long number",
        "visa",
        "mastercard",
        "master card",
        "amex",
        "american express",
        "discover card",
        "maestro",
        "card no");
    add(
        CueKind.CVV,
        "security code",
        "security number",
        "security digits",
        "cvv",
        "cvv2",
        "cvc",
        "cvc2",
        "cv2",
        "csc",
        "cvn",
        "c v v",
        "c v c",
        "verification code",
        "verification number",
        "verification value",
        "digit code",
        "digit security",
        "back of the card",
        "back of your card",
        "code on the back",
        "digits on the back",
        "number on the back");
    add(
        CueKind.EXPIRY,
        "expiry",
        "expiration",
        "expires",
        "expire",
        "expiring",
        "exp",
        "valid thru",
        "valid through",
        "valid until",
        "good thru",
        "good through");
    add(CueKind.SSN, "social security", "ssn", "s s n", "my social", "your social");
    add(CueKind.SIN, "social insurance");
    add(CueKind.NINO, "national insurance", "nino", "ni number");
  }

  private CueFinder() {}

  private static void add(CueKind kind, String... phrases) {
    for (String phrase : phrases) {
      List<String> words = List.of(phrase.split(" ", -1));
      PHRASES.computeIfAbsent(words.get(0), w -> new ArrayList<>()).add(new Phrase(kind, words));
    }
  }

  /** The cues among tokens {@code from} onwards, in order; overlapping phrases are all kept. */
  public static List<Cue> find(Tokens t, int from) {
    List<Cue> cues = new ArrayList<>();
    for (int i = from; i < t.size(); i++) {
      String lower = t.lower(i);
      if (lower == null) {
        continue;
      }
      if (lower.equals("sin") && t.text(i).equals("SIN")) {
        cues.add(new Cue(CueKind.SIN, t.get(i).start(), t.get(i).end()));
        continue;
      }
      List<Phrase> candidates = PHRASES.get(lower);
      if (candidates == null) {
        continue;
      }
      for (Phrase p : candidates) {
        int end = match(t, i, p.words());
        // "my social" is a social security number unless "insurance" follows; undecided until
        // the next word has arrived
        if (end >= 0
            && p.kind() == CueKind.SSN
            && p.words().size() == 2
            && p.words().get(1).equals("social")
            && !followedByOtherThan(t, end, "insurance")) {
          continue;
        }
        if (end >= 0) {
          cues.add(new Cue(p.kind(), t.get(i).start(), t.get(end).end()));
          break;
        }
      }
    }
    return cues;
  }

  /** Whether a complete word other than {@code word} follows token {@code i}. */
  private static boolean followedByOtherThan(Tokens t, int i, String word) {
    int next = t.nextNonSpace(i + 1);
    return next >= 0 && next < t.size() - 1 && !word.equals(t.lower(next));
  }

  /** The index of the last token of {@code words} matched from token {@code i}, or -1. */
  private static int match(Tokens t, int i, List<String> words) {
    int j = i;
    for (int w = 1; w < words.size(); w++) {
      j++;
      while (j < t.size() && (t.get(j).type() == TokenType.SPACE || t.isPunct(j, '-'))) {
        j++;
      }
      if (j >= t.size() || !words.get(w).equals(t.lower(j))) {
        return -1;
      }
    }
    return j;
  }

  /**
   * Lower-case words of a field name: {@code securityCode}, {@code exp_date} -> "security code".
   */
  public static String fieldWords(String name) {
    StringBuilder sb = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_' || c == '-' || c == '.' || c == ' ') {
        sb.append(' ');
      } else if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(name.charAt(i - 1))) {
        sb.append(' ').append(c);
      } else {
        sb.append(c);
      }
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }
}

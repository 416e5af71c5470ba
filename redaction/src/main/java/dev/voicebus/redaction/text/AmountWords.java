package dev.voicebus.redaction.text;

import java.util.HashSet;
import java.util.Set;

/** Words after a number that make it an amount ("120 dollars", "15 percent"), not a code. */
public final class AmountWords {

  private static final Set<String> WORDS =
      Set.of(
          "dollar", "dollars", "pound", "pounds", "euro", "euros", "cent", "cents", "pence",
          "percent", "bucks", "quid", "usd", "gbp", "eur");
  private static final Set<String> PREFIXES = new HashSet<>();

  static {
    for (String word : WORDS) {
      for (int n = 1; n <= word.length(); n++) {
        PREFIXES.add(word.substring(0, n));
      }
    }
  }

  private AmountWords() {}

  public static boolean isAmountWord(String lower) {
    return lower != null && WORDS.contains(lower);
  }

  public static boolean isPrefix(String lower) {
    return lower != null && PREFIXES.contains(lower);
  }
}

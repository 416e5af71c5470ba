package dev.voicebus.redaction.text;

import java.util.HashSet;
import java.util.Set;

/** Month names and their usual abbreviations, for expiry dates such as "December 2027". */
public final class Months {

  private static final Set<String> NAMES =
      Set.of(
          "january",
          "february",
          "march",
          "april",
          "may",
          "june",
          "july",
          "august",
          "september",
          "october",
          "november",
          "december",
          "jan",
          "feb",
          "mar",
          "apr",
          "jun",
          "jul",
          "aug",
          "sep",
          "sept",
          "oct",
          "nov",
          "dec");
  private static final Set<String> PREFIXES = new HashSet<>();

  static {
    for (String name : NAMES) {
      for (int n = 1; n <= name.length(); n++) {
        PREFIXES.add(name.substring(0, n));
      }
    }
  }

  private Months() {}

  public static boolean isMonth(String lower) {
    return lower != null && NAMES.contains(lower);
  }

  public static boolean isPrefix(String lower) {
    return lower != null && PREFIXES.contains(lower);
  }
}

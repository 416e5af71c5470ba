package dev.voicebus.redaction.text;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Spoken numbers as a transcription model writes them, turned into the digits they stand for:
 * single digits ("four", "oh", "zero", "nought"), "double four", "triple seven", teens and tens
 * ("eleven", "twenty-seven"), and compounds with "hundred" and "thousand" ("four hundred and
 * twelve", "two thousand twenty-seven"). A phrase keeps the tokens it came from, so a replacement
 * covers exactly the words spoken.
 */
public final class NumberWords {

  enum Kind {
    UNIT,
    TEEN,
    TENS,
    HUNDRED,
    THOUSAND,
    MULTIPLIER
  }

  private record Entry(Kind kind, int value) {}

  /** The digits of a phrase and the index of its last token. */
  public record Phrase(String digits, int lastToken) {}

  private record Part(long value, int last, String digits) {}

  private static final Map<String, Entry> LEXICON = new HashMap<>();

  /** Words that continue a number phrase but cannot start one. */
  private static final Set<String> CONTINUERS =
      Set.of("and", "hundred", "thousand", "slash", "dash");

  private static final Set<String> STARTER_PREFIXES = new HashSet<>();
  private static final Set<String> ANY_PREFIXES = new HashSet<>();

  static {
    String[] units = {
      "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"
    };
    for (int i = 0; i < units.length; i++) {
      LEXICON.put(units[i], new Entry(Kind.UNIT, i));
    }
    for (String zero : new String[] {"oh", "o", "nought", "naught"}) {
      LEXICON.put(zero, new Entry(Kind.UNIT, 0));
    }
    String[] teens = {
      "ten",
      "eleven",
      "twelve",
      "thirteen",
      "fourteen",
      "fifteen",
      "sixteen",
      "seventeen",
      "eighteen",
      "nineteen"
    };
    for (int i = 0; i < teens.length; i++) {
      LEXICON.put(teens[i], new Entry(Kind.TEEN, 10 + i));
    }
    String[] tens = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
    for (int i = 0; i < tens.length; i++) {
      LEXICON.put(tens[i], new Entry(Kind.TENS, 20 + 10 * i));
    }
    LEXICON.put("hundred", new Entry(Kind.HUNDRED, 100));
    LEXICON.put("thousand", new Entry(Kind.THOUSAND, 1000));
    LEXICON.put("double", new Entry(Kind.MULTIPLIER, 2));
    LEXICON.put("triple", new Entry(Kind.MULTIPLIER, 3));
    for (Map.Entry<String, Entry> e : LEXICON.entrySet()) {
      Kind kind = e.getValue().kind();
      boolean starter = kind != Kind.HUNDRED && kind != Kind.THOUSAND;
      if (starter) {
        addPrefixes(e.getKey(), STARTER_PREFIXES);
      }
      addPrefixes(e.getKey(), ANY_PREFIXES);
    }
    for (String w : CONTINUERS) {
      addPrefixes(w, ANY_PREFIXES);
    }
  }

  private NumberWords() {}

  private static void addPrefixes(String word, Set<String> into) {
    for (int n = 1; n <= word.length(); n++) {
      into.add(word.substring(0, n));
    }
  }

  /**
   * The number phrase starting at token {@code i} (a numeral or a number word), or null if none
   * starts there.
   */
  public static Phrase parse(Tokens t, int i) {
    Token tok = t.get(i);
    if (tok.type() == TokenType.NUMERAL) {
      return new Phrase(t.text(i), i);
    }
    if (tok.type() != TokenType.WORD) {
      return null;
    }
    Entry e = LEXICON.get(t.lower(i));
    if (e == null) {
      return null;
    }
    return switch (e.kind()) {
      case MULTIPLIER -> repeated(t, i, e.value());
      case HUNDRED, THOUSAND -> null;
      default -> compound(t, i, e);
    };
  }

  /** Whether a complete word can only be the middle of a number ("double", "and", "slash"). */
  public static boolean isPending(String lower) {
    return lower != null && (CONTINUERS.contains(lower) || isMultiplier(lower));
  }

  /** Whether a complete word joins two parts of a number ("slash", "dash"). */
  public static boolean isJoinerWord(String lower) {
    return "slash".equals(lower) || "dash".equals(lower);
  }

  /** Whether {@code lower} is the start of a word that can start a number. */
  public static boolean isStarterPrefix(String lower) {
    return lower != null && STARTER_PREFIXES.contains(lower);
  }

  /** Whether {@code lower} is the start of any word of a number phrase. */
  public static boolean isAnyPrefix(String lower) {
    return lower != null && ANY_PREFIXES.contains(lower);
  }

  private static boolean isMultiplier(String lower) {
    Entry e = LEXICON.get(lower);
    return e != null && e.kind() == Kind.MULTIPLIER;
  }

  private static Phrase repeated(Tokens t, int i, int times) {
    int j = nextWord(t, i);
    if (j < 0) {
      return null;
    }
    String digit = null;
    if (t.get(j).type() == TokenType.NUMERAL && t.get(j).length() == 1) {
      digit = t.text(j);
    } else {
      Entry e = LEXICON.get(t.lower(j));
      if (e != null && e.kind() == Kind.UNIT && t.get(j).type() == TokenType.WORD) {
        digit = Integer.toString(e.value());
      }
    }
    return digit == null ? null : new Phrase(digit.repeat(times), j);
  }

  private static Phrase compound(Tokens t, int i, Entry first) {
    Part part = below100(t, i);
    if (first.kind() == Kind.UNIT && first.value() == 0) {
      return new Phrase(part.digits(), part.last());
    }
    long value = part.value();
    int last = part.last();
    boolean multiplied = false;
    int h = nextWord(t, last);
    if (h >= 0 && kind(t, h) == Kind.HUNDRED) {
      value *= 100;
      last = h;
      multiplied = true;
      Part rest = tail(t, last);
      if (rest != null) {
        value += rest.value();
        last = rest.last();
      }
    }
    int k = nextWord(t, last);
    if (k >= 0 && kind(t, k) == Kind.THOUSAND && value < 1000) {
      value *= 1000;
      last = k;
      multiplied = true;
      Part rest = tail(t, last);
      if (rest != null) {
        long below = rest.value();
        int end = rest.last();
        int h2 = nextWord(t, end);
        if (below < 10 && h2 >= 0 && kind(t, h2) == Kind.HUNDRED) {
          below *= 100;
          end = h2;
          Part more = tail(t, end);
          if (more != null) {
            below += more.value();
            end = more.last();
          }
        }
        value += below;
        last = end;
      }
    }
    return new Phrase(multiplied ? Long.toString(value) : part.digits(), last);
  }

  /** "and twelve", "twelve" or nothing after "hundred"/"thousand". */
  private static Part tail(Tokens t, int last) {
    int m = nextWord(t, last);
    if (m < 0) {
      return null;
    }
    int start = m;
    if ("and".equals(t.lower(m))) {
      start = nextWord(t, m);
      if (start < 0) {
        return null;
      }
    }
    Entry e = t.get(start).type() == TokenType.WORD ? LEXICON.get(t.lower(start)) : null;
    if (e == null
        || e.value() == 0
        || e.kind() == Kind.HUNDRED
        || e.kind() == Kind.THOUSAND
        || e.kind() == Kind.MULTIPLIER) {
      return null;
    }
    return below100(t, start);
  }

  private static Part below100(Tokens t, int i) {
    Entry e = LEXICON.get(t.lower(i));
    if (e.kind() == Kind.TENS) {
      int j = nextWord(t, i);
      if (j >= 0 && t.get(j).type() == TokenType.WORD) {
        Entry unit = LEXICON.get(t.lower(j));
        if (unit != null && unit.kind() == Kind.UNIT && unit.value() > 0) {
          int v = e.value() + unit.value();
          return new Part(v, j, Integer.toString(v));
        }
      }
    }
    return new Part(e.value(), i, Integer.toString(e.value()));
  }

  private static Kind kind(Tokens t, int i) {
    if (t.get(i).type() != TokenType.WORD) {
      return null;
    }
    Entry e = LEXICON.get(t.lower(i));
    return e == null ? null : e.kind();
  }

  /** The next word or numeral after token {@code i}, past one space or hyphen; -1 if none. */
  private static int nextWord(Tokens t, int i) {
    int j = i + 1;
    int skipped = 0;
    while (j < t.size()
        && skipped < 2
        && (t.get(j).type() == TokenType.SPACE || t.isPunct(j, '-'))) {
      j++;
      skipped++;
    }
    if (j >= t.size()) {
      return -1;
    }
    TokenType type = t.get(j).type();
    return type == TokenType.WORD || type == TokenType.NUMERAL ? j : -1;
  }
}

package dev.voicebus.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.redaction.policy.CustomPattern;
import dev.voicebus.redaction.policy.DetectorKind;
import dev.voicebus.redaction.policy.RedactionPolicy;
import dev.voicebus.redaction.policy.ReplacementStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random texts built from the pieces sensitive values are made of (digits, number words,
 * separators, cue words, letters, months) streamed in random cuts: what is released must always be
 * exactly the whole-text redaction, so no cut can reveal what the whole text hides.
 */
class StreamingEquivalenceTest {

  private static final String[] PIECES = {
    "4111",
    "1111",
    "5555",
    "4444",
    "12",
    "27",
    "123",
    "536",
    "22",
    "1234",
    "0",
    "7",
    "2027",
    "355 512 575",
    "536-22-1234",
    "four",
    "one",
    "oh",
    "double",
    "triple",
    "twenty",
    "seven",
    "twelve",
    "hundred",
    "and",
    "nine",
    "six",
    "slash",
    "thousand",
    "security code",
    "expires",
    "card number",
    "social security",
    "cvv",
    "expiry",
    "national insurance",
    "AB",
    "A",
    "B",
    "C",
    "December",
    "Dec",
    "the",
    "for",
    "on",
    "order",
    "$",
    "%",
    "dollars",
    "ending in",
    "-",
    "/",
    ",",
    ".",
    "(",
    ")",
    "+",
    "x",
    "SIN",
    "ACC-",
    "12345678",
    "jane@example.com",
    "4111111111111111",
    "my social",
    "insurance",
    "AB123456C",
    "social insurance"
  };

  @Test
  void streamedOutputEqualsWholeTextRedactionForRandomTextsAndCuts() {
    Redactor redactor =
        Redactor.of(
            new RedactionPolicy(
                true,
                EnumSet.complementOf(EnumSet.of(DetectorKind.CUSTOM)),
                List.of(CustomPattern.compile("account", "ACC-\\d{8}", ReplacementStyle.LABEL)),
                Map.of(),
                "[x]",
                false));
    Random random = new Random(17);
    List<String> failures = new ArrayList<>();
    for (int n = 0; n < 5000 && failures.size() < 5; n++) {
      String text = text(random);
      String whole = redactor.newCall().complete("i", text).finalText();
      CallRedactor call = redactor.newCall();
      StringBuilder out = new StringBuilder();
      int pos = 0;
      int longest = 1 + random.nextInt(8);
      while (pos < text.length()) {
        int len = 1 + random.nextInt(longest);
        int end = Math.min(text.length(), pos + len);
        out.append(call.delta("i", text.substring(pos, end)));
        pos = end;
      }
      out.append(call.complete("i", text).tail());
      if (!out.toString().equals(whole)) {
        failures.add("text: " + text + "\n whole:    " + whole + "\n streamed: " + out);
      }
    }
    assertThat(failures).isEmpty();
  }

  private static String text(Random random) {
    StringBuilder sb = new StringBuilder();
    int pieces = 3 + random.nextInt(25);
    for (int i = 0; i < pieces; i++) {
      sb.append(PIECES[random.nextInt(PIECES.length)]);
      sb.append(random.nextInt(5) == 0 ? "" : " ");
    }
    return sb.toString();
  }
}

package dev.voicebus.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The delay streaming redaction adds to live captions: a realistic support call without sensitive
 * values, streamed a word per delta as a transcription model does, with the default policy. Counts
 * how many deltas pass at once, how many characters are held after each delta, and how many deltas
 * later each delta is fully released. The figures are printed and quoted in the README.
 */
class HoldbackDelayTest {

  @Test
  void mostDeltasOfATranscriptWithoutSensitiveValuesPassAtOnce() throws IOException {
    List<String> turns = turns();
    CallRedactor call = Redactor.defaults().newCall();
    int deltas = 0;
    int passedAtOnce = 0;
    long heldSum = 0;
    int heldMax = 0;
    List<Integer> delays = new ArrayList<>();
    int item = 0;
    for (String turn : turns) {
      String itemId = "item-" + item++;
      List<String> pieces = Corpus.words(turn);
      // endOf[k]: characters of the item up to the end of delta k; delayOf[k]: how many deltas
      // after it the last of its characters was released (-1 while held)
      int received = 0;
      int[] endOf = new int[pieces.size()];
      int[] delayOf = new int[pieces.size()];
      Arrays.fill(delayOf, -1);
      for (int k = 0; k < pieces.size(); k++) {
        received += pieces.get(k).length();
        endOf[k] = received;
        call.delta(itemId, pieces.get(k));
        int held = call.heldChars();
        int releasedChars = received - held;
        for (int j = 0; j <= k; j++) {
          if (delayOf[j] < 0 && endOf[j] <= releasedChars) {
            delayOf[j] = k - j;
          }
        }
        deltas++;
        if (held == 0) {
          passedAtOnce++;
        }
        heldSum += held;
        heldMax = Math.max(heldMax, held);
      }
      call.complete(itemId, turn);
      for (int j = 0; j < pieces.size(); j++) {
        // Still held at the end of the item: released by complete(), after the last delta.
        delays.add(delayOf[j] < 0 ? pieces.size() - j : delayOf[j]);
      }
    }
    delays.sort(null);
    double share = (double) passedAtOnce / deltas;
    double meanHeld = (double) heldSum / deltas;
    double meanDelay = delays.stream().mapToInt(Integer::intValue).average().orElse(0);
    int p95 = delays.get((int) Math.ceil(0.95 * delays.size()) - 1);
    int maxDelay = delays.get(delays.size() - 1);
    System.out.printf(
        Locale.ROOT,
        "holdback: %d turns, %d deltas; passed at once %d (%.1f%%); held chars after a delta:"
            + " mean %.2f, max %d; delay in deltas: mean %.3f, p95 %d, max %d%n",
        turns.size(),
        deltas,
        passedAtOnce,
        100 * share,
        meanHeld,
        heldMax,
        meanDelay,
        p95,
        maxDelay);
    // Only number words, digits and their unfinished starts ("for" may become "forty") wait for
    // the next delta; ordinary words never do.
    assertThat(share).isGreaterThanOrEqualTo(0.85);
    assertThat(p95).isLessThanOrEqualTo(1);
    assertThat(maxDelay).isLessThanOrEqualTo(4);
  }

  private static List<String> turns() throws IOException {
    try (InputStream in = HoldbackDelayTest.class.getResourceAsStream("/holdback-transcript.txt")) {
      List<String> turns = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          turns.add(line);
        }
      }
      return turns;
    }
  }
}

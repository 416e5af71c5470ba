package dev.voicebus.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.redaction.detect.Finding;
import dev.voicebus.redaction.policy.RedactionPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of the default detectors over the corpus, and the equality of streamed and
 * whole-text redaction for every example. The figures are printed and quoted in the README.
 */
class CorpusTest {

  private static List<Corpus.Example> examples;
  private static Redactor redactor;

  @BeforeAll
  static void load() throws Exception {
    examples = Corpus.load();
    redactor =
        Redactor.of(
            RedactionPolicy.fromJson(
                new ObjectMapper()
                    .readTree(
                        "{\"custom\": [{\"name\": \"account\", \"pattern\": \"ACC-\\\\d{8}\"}]}")));
  }

  @Test
  void corpusHasAtLeastFortyPositiveAndFortyNegativeExamples() {
    assertThat(examples.stream().filter(Corpus.Example::positive).count())
        .isGreaterThanOrEqualTo(40);
    assertThat(examples.stream().filter(e -> !e.positive()).count()).isGreaterThanOrEqualTo(40);
  }

  /**
   * Recall must be complete on this corpus: every marked value is one the detectors are meant to
   * cover, and a missed card number is the costly error. Precision must be at least 0.95: a false
   * positive only hides a harmless number from a transcript reader.
   */
  @Test
  void recallIsCompleteAndPrecisionAtLeastNinetyFivePercent() {
    int spans = 0;
    int covered = 0;
    int findings = 0;
    int truePositives = 0;
    List<String> missed = new ArrayList<>();
    List<String> falsePositives = new ArrayList<>();
    // A value counts as recalled when every letter and digit of it is replaced (a card read with a
    // wrong digit may come out as a card and a code: "[card ****1111], [cvv]").
    for (Corpus.Example e : examples) {
      List<Finding> found = findWithContext(e);
      for (Corpus.Span s : e.spans()) {
        spans++;
        if (covers(found, s, e.text())) {
          covered++;
        } else {
          missed.add("line " + e.line() + ": " + e.text().substring(s.start(), s.end()));
        }
      }
      for (Finding f : found) {
        findings++;
        if (e.spans().stream().anyMatch(s -> f.start() < s.end() && s.start() < f.end())) {
          truePositives++;
        } else {
          falsePositives.add("line " + e.line() + ": " + e.text().substring(f.start(), f.end()));
        }
      }
    }
    double recall = (double) covered / spans;
    double precision = findings == 0 ? 1 : (double) truePositives / findings;
    System.out.printf(
        Locale.ROOT,
        "corpus: %d examples, %d sensitive values; recall %.3f (%d/%d), precision %.3f (%d/%d)%n"
            + "missed: %s%nfalse positives: %s%n",
        examples.size(),
        spans,
        recall,
        covered,
        spans,
        precision,
        truePositives,
        findings,
        missed,
        falsePositives);
    assertThat(missed).as("missed values").isEmpty();
    assertThat(recall).isEqualTo(1.0);
    assertThat(precision).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void negativeExamplesComeOutUnchanged() {
    List<String> changed = new ArrayList<>();
    for (Corpus.Example e : examples) {
      if (!e.positive()) {
        String out = whole(e);
        if (!out.equals(e.text())) {
          changed.add("line " + e.line() + ": " + out);
        }
      }
    }
    // At most two of the negatives may be touched (the precision bound above in examples).
    assertThat(changed).hasSizeLessThanOrEqualTo(2);
  }

  @Test
  void streamingReleasesExactlyTheWholeTextRedactionForEverySplit() {
    for (Corpus.Example e : examples) {
      String expected = whole(e);
      assertThat(streamed(e, e.deltas()))
          .as("marked splits, line %d", e.line())
          .isEqualTo(expected);
      assertThat(streamed(e, Corpus.words(e.text())))
          .as("word splits, line %d", e.line())
          .isEqualTo(expected);
      assertThat(streamed(e, Corpus.chars(e.text())))
          .as("character splits, line %d", e.line())
          .isEqualTo(expected);
    }
  }

  @Test
  void noReleasedPieceOfAPositiveHoldsMoreThanTheLastFourOfItsValue() {
    for (Corpus.Example e : examples) {
      if (!e.positive()) {
        continue;
      }
      String released = streamed(e, Corpus.chars(e.text()));
      for (Corpus.Span s : e.spans()) {
        String value = e.text().substring(s.start(), s.end());
        assertThat(released).as("line %d", e.line()).doesNotContain(value);
        String digits = value.replaceAll("[^0-9]", "");
        if (digits.length() > 4) {
          assertThat(released.replaceAll("[^0-9]", ""))
              .as("line %d", e.line())
              .doesNotContain(digits.substring(0, digits.length() - 4));
        }
      }
    }
  }

  private static List<Finding> findWithContext(Corpus.Example e) {
    CallRedactor call = redactor.newCall();
    if (e.context() != null) {
      call.complete("context", e.context());
    }
    return call.find(e.text());
  }

  private static String whole(Corpus.Example e) {
    CallRedactor call = redactor.newCall();
    if (e.context() != null) {
      call.complete("context", e.context());
    }
    return call.complete("item", e.text()).finalText();
  }

  private static String streamed(Corpus.Example e, List<String> deltas) {
    CallRedactor call = redactor.newCall();
    if (e.context() != null) {
      call.complete("context", e.context());
    }
    StringBuilder out = new StringBuilder();
    for (String d : deltas) {
      out.append(call.delta("item", d));
    }
    ItemEnd end = call.complete("item", e.text());
    out.append(end.tail());
    assertThat(end.finalText()).as("final of line %d", e.line()).isEqualTo(out.toString());
    return out.toString();
  }

  /** Whether every letter and digit of the marked value lies inside a finding. */
  private static boolean covers(List<Finding> found, Corpus.Span s, String text) {
    for (int i = s.start(); i < s.end(); i++) {
      if (!Character.isLetterOrDigit(text.charAt(i))) {
        continue;
      }
      int at = i;
      if (found.stream().noneMatch(f -> f.start() <= at && at < f.end())) {
        return false;
      }
    }
    return true;
  }
}

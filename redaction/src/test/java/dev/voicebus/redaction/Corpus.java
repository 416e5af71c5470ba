package dev.voicebus.redaction;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The examples of {@code redaction-corpus.tsv}: text, marked sensitive spans, delta splits. */
final class Corpus {

  /** A marked sensitive value, as offsets into {@link Example#text()}. */
  record Span(int start, int end) {}

  /**
   * @param positive whether the example holds sensitive values
   * @param context the previous turn, or null
   * @param text the text without markers
   * @param spans the marked sensitive values
   * @param deltas the text cut where the line marks delta splits (one piece if it marks none)
   * @param line the line in the file
   */
  record Example(
      boolean positive,
      String context,
      String text,
      List<Span> spans,
      List<String> deltas,
      int line) {}

  private Corpus() {}

  static List<Example> load() {
    try (InputStream in = Corpus.class.getResourceAsStream("/redaction-corpus.tsv")) {
      if (in == null) {
        throw new IllegalStateException("redaction-corpus.tsv is not on the test classpath");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<Example> examples = new ArrayList<>();
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        examples.add(parse(line, number));
      }
      return examples;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Example parse(String line, int number) {
    String[] cols = line.split("\t", -1);
    if (cols.length != 3 || !(cols[0].equals("pos") || cols[0].equals("neg"))) {
      throw new IllegalArgumentException("corpus line " + number + " is malformed: " + line);
    }
    StringBuilder text = new StringBuilder();
    List<Span> spans = new ArrayList<>();
    List<String> deltas = new ArrayList<>();
    StringBuilder delta = new StringBuilder();
    String marked = cols[2];
    int open = -1;
    for (int i = 0; i < marked.length(); i++) {
      if (marked.startsWith("[[", i)) {
        open = text.length();
        i++;
      } else if (marked.startsWith("]]", i)) {
        spans.add(new Span(open, text.length()));
        open = -1;
        i++;
      } else if (marked.charAt(i) == '|') {
        deltas.add(delta.toString());
        delta.setLength(0);
      } else {
        text.append(marked.charAt(i));
        delta.append(marked.charAt(i));
      }
    }
    deltas.add(delta.toString());
    boolean positive = cols[0].equals("pos");
    if (positive == spans.isEmpty() || open >= 0) {
      throw new IllegalArgumentException(
          "corpus line " + number + ": markers do not match pos/neg");
    }
    return new Example(
        positive, cols[1].equals("-") ? null : cols[1], text.toString(), spans, deltas, number);
  }

  /** {@code text} cut before each whitespace run, as a transcription model streams words. */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i)) && !Character.isWhitespace(text.charAt(i - 1))) {
        out.add(text.substring(start, i));
        start = i;
      }
    }
    out.add(text.substring(start));
    return out;
  }

  /** {@code text} one character per delta. */
  static List<String> chars(String text) {
    List<String> out = new ArrayList<>(text.length());
    for (int i = 0; i < text.length(); i++) {
      out.add(String.valueOf(text.charAt(i)));
    }
    return out;
  }
}

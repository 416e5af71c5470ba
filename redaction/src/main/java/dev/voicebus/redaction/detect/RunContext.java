package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.policy.DetectorKind;
import dev.voicebus.redaction.text.AmountWords;
import dev.voicebus.redaction.text.CueKind;
import dev.voicebus.redaction.text.DigitRun;
import dev.voicebus.redaction.text.Token;
import dev.voicebus.redaction.text.TokenType;
import dev.voicebus.redaction.text.Tokens;
import java.util.ArrayList;
import java.util.List;

/** What a {@link RunDetector} may look at around a run: the tokens, the cues, the policy. */
final class RunContext {

  private final Tokens tokens;
  private final CueState state;
  private final DetectorSet detectors;

  RunContext(Tokens tokens, CueState state, DetectorSet detectors) {
    this.tokens = tokens;
    this.state = state;
    this.detectors = detectors;
  }

  Tokens tokens() {
    return tokens;
  }

  boolean on(DetectorKind kind) {
    return detectors.on(kind);
  }

  boolean cardContext() {
    return state.cardContext();
  }

  boolean armed(CueKind kind) {
    return state.armed(kind);
  }

  boolean cardNumberAwaited() {
    return state.cardNumberAwaited();
  }

  CueKind lastSecurity() {
    return state.lastSecurity();
  }

  /** Whether the run is an amount: after a currency sign, or before a currency word or "%". */
  boolean isMoney(DigitRun run) {
    int before = tokens.previousNonSpace(run.firstToken() - 1);
    if (before >= 0 && tokens.get(before).type() == TokenType.PUNCT) {
      char c = tokens.text().charAt(tokens.get(before).start());
      if (c == '$' || c == '\u00a3' || c == '\u20ac') {
        return true;
      }
    }
    int after = tokens.nextNonSpace(run.lastToken() + 1);
    if (after < 0) {
      return false;
    }
    return tokens.isPunct(after, '%') || AmountWords.isAmountWord(tokens.lower(after));
  }

  /** Up to {@code n} lower-case words before the run, nearest first. */
  List<String> wordsBefore(DigitRun run, int n) {
    List<String> words = new ArrayList<>(n);
    for (int i = run.firstToken() - 1; i >= 0 && words.size() < n; i--) {
      Token t = tokens.get(i);
      if (t.type() == TokenType.WORD
          || t.type() == TokenType.ALNUM
          || t.type() == TokenType.NUMERAL) {
        words.add(t.type() == TokenType.NUMERAL ? tokens.text(i) : tokens.lower(i));
      }
    }
    return words;
  }
}

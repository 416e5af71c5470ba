package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.text.CueKind;
import java.util.EnumSet;
import java.util.Set;

/**
 * The context cues in force at a point of a text: which kinds are armed ("security code" was said,
 * a card number was given) and whether a card code or an expiry date was asked for last. Mutable;
 * each scan works on its own copy.
 */
public final class CueState {

  private final EnumSet<CueKind> armed;
  private final EnumSet<CueKind> own;
  private CueKind lastSecurity;
  private boolean askedHere;
  private boolean answered;

  private CueState(
      EnumSet<CueKind> armed,
      EnumSet<CueKind> own,
      CueKind lastSecurity,
      boolean askedHere,
      boolean answered) {
    this.armed = armed;
    this.own = own;
    this.lastSecurity = lastSecurity;
    this.askedHere = askedHere;
    this.answered = answered;
  }

  public static CueState empty() {
    return new CueState(
        EnumSet.noneOf(CueKind.class), EnumSet.noneOf(CueKind.class), null, false, false);
  }

  public CueState copy() {
    return new CueState(
        EnumSet.copyOf(armed), EnumSet.copyOf(own), lastSecurity, askedHere, answered);
  }

  /**
   * A code or an expiry date was given, which answers the question: a later number is not taken for
   * the same thing just because it was asked for ("expires 12/27, code 737").
   */
  public void answered() {
    lastSecurity = null;
    askedHere = false;
    answered = true;
  }

  /** Whether this text answered a question about a code or a date and asked no new one after. */
  public boolean answeredHere() {
    return answered && !askedHere;
  }

  /** A cue of {@code kind} was seen in this text (cues are absorbed in text order). */
  public void absorb(CueKind kind) {
    armed.add(kind);
    own.add(kind);
    if (kind == CueKind.CVV || kind == CueKind.EXPIRY) {
      lastSecurity = kind;
      askedHere = true;
    }
  }

  /** Kinds armed by earlier text elsewhere (an earlier turn of the call). */
  public void armAll(Set<CueKind> kinds) {
    armed.addAll(kinds);
  }

  /**
   * Kinds armed elsewhere in the call, and what was asked for last there, which counts only if this
   * text has not asked for a code or a date itself.
   */
  public void inherit(Set<CueKind> kinds, CueKind asked) {
    armed.addAll(kinds);
    if (lastSecurity == null && !answered && asked != null && kinds.contains(asked)) {
      lastSecurity = asked;
    }
  }

  public boolean armed(CueKind kind) {
    return armed.contains(kind);
  }

  /** Whether card codes and expiry dates are expected: a card, a code or an expiry was named. */
  public boolean cardContext() {
    return armed.contains(CueKind.CARD)
        || armed.contains(CueKind.CVV)
        || armed.contains(CueKind.EXPIRY);
  }

  /** {@link CueKind#CVV} or {@link CueKind#EXPIRY}, whichever was named last; or null. */
  public CueKind lastSecurity() {
    return lastSecurity;
  }

  /** The kinds armed by this text itself (not inherited). */
  public Set<CueKind> ownKinds() {
    return EnumSet.copyOf(own);
  }

  /** What this text itself asked for last ({@link #lastSecurity()} if not inherited), or null. */
  public CueKind askedHere() {
    return askedHere ? lastSecurity : null;
  }
}

package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.text.CueKind;
import java.util.EnumSet;
import java.util.Set;

/**
 * The context cues in force at a point of a text: which kinds are armed ("security code" was said,
 * a card number was given), whether a card code or an expiry date was asked for last, and whether a
 * card number was asked for and not yet given. Mutable; each scan works on its own copy.
 */
public final class CueState {

  private final EnumSet<CueKind> armed;
  private final EnumSet<CueKind> own;

  /** {@link CueKind#CVV} or {@link CueKind#EXPIRY}, whichever was asked for last; or null. */
  private CueKind lastSecurity;

  private boolean askedHere;
  private boolean answered;

  /** A card number was asked for ("card number", "long number") and none given since. */
  private boolean cardAsked;

  private boolean cardAskedHere;
  private boolean cardGiven;

  private CueState(EnumSet<CueKind> armed, EnumSet<CueKind> own) {
    this.armed = armed;
    this.own = own;
  }

  public static CueState empty() {
    return new CueState(EnumSet.noneOf(CueKind.class), EnumSet.noneOf(CueKind.class));
  }

  public CueState copy() {
    CueState c = new CueState(EnumSet.copyOf(armed), EnumSet.copyOf(own));
    c.lastSecurity = lastSecurity;
    c.askedHere = askedHere;
    c.answered = answered;
    c.cardAsked = cardAsked;
    c.cardAskedHere = cardAskedHere;
    c.cardGiven = cardGiven;
    return c;
  }

  /** A cue of {@code kind} was seen in this text (cues are absorbed in text order). */
  public void absorb(CueKind kind) {
    armed.add(kind);
    own.add(kind);
    if (kind == CueKind.CVV || kind == CueKind.EXPIRY) {
      lastSecurity = kind;
      askedHere = true;
    } else if (kind == CueKind.CARD) {
      cardAsked = true;
      cardAskedHere = true;
    }
  }

  /** A card number was found: card context, and the card number is no longer awaited. */
  public void cardGiven() {
    armed.add(CueKind.CARD);
    own.add(CueKind.CARD);
    cardAsked = false;
    cardAskedHere = false;
    cardGiven = true;
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

  /**
   * Kinds armed elsewhere in the call, and what was asked for there, which counts only if this text
   * has not answered or asked itself.
   */
  public void inherit(Set<CueKind> kinds, CueKind asked, boolean cardNumberAsked) {
    armed.addAll(kinds);
    if (lastSecurity == null && !answered && asked != null && kinds.contains(asked)) {
      lastSecurity = asked;
    }
    if (cardNumberAsked && !cardGiven && kinds.contains(CueKind.CARD)) {
      cardAsked = true;
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

  /** Whether a card number was asked for and has not been given since. */
  public boolean cardNumberAwaited() {
    return cardAsked;
  }

  /** The kinds armed by this text itself (not inherited). */
  public Set<CueKind> ownKinds() {
    return EnumSet.copyOf(own);
  }

  /** What this text itself asked for last ({@link #lastSecurity()} if not inherited), or null. */
  public CueKind askedHere() {
    return askedHere ? lastSecurity : null;
  }

  /** Whether this text answered a question about a code or a date and asked no new one after. */
  public boolean answeredHere() {
    return answered && !askedHere;
  }

  /** Whether this text asked for a card number and none was given after. */
  public boolean cardNumberAskedHere() {
    return cardAskedHere && cardAsked;
  }

  /** Whether this text gave a card number and asked for none after. */
  public boolean cardNumberGivenHere() {
    return cardGiven && !cardAskedHere;
  }
}

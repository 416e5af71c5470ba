package dev.voicebus.redaction;

import dev.voicebus.redaction.detect.CueState;
import dev.voicebus.redaction.detect.Finding;
import dev.voicebus.redaction.detect.ScanResult;
import dev.voicebus.redaction.text.CueKind;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Redaction for one call: streams each transcript item's deltas ({@link #delta}), ends items
 * ({@link #complete}, {@link #flush}) and redacts other text of the call ({@link #redact}), sharing
 * the context between turns, so that after the agent asks "and the security code on the back?" the
 * caller's "one two three" in the next turn is a card code.
 *
 * <p>A cue or a card number arms its context for the rest of its item and the next {@value
 * #CONTEXT_ITEMS} items of the call (counted in the order their first text arrives, both roles).
 *
 * <p>Not thread-safe: one instance per call, used only from the thread that handles the call.
 */
public final class CallRedactor {

  /** How many later items a cue (or a card number) keeps in context. */
  public static final int CONTEXT_ITEMS = 3;

  /** Items streamed at once; beyond this the oldest is dropped and its held text never released. */
  public static final int MAX_OPEN_ITEMS = 16;

  private final Redactor redactor;
  private final Map<String, ItemStream> open =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ItemStream> eldest) {
          return size() > MAX_OPEN_ITEMS;
        }
      };
  private final Map<CueKind, Integer> armedUntil = new EnumMap<>(CueKind.class);
  private CueKind asked;
  private boolean cardNumberAsked;
  private int nextSeq;

  CallRedactor(Redactor redactor) {
    this.redactor = redactor;
  }

  /**
   * Feeds the next delta of transcript item {@code itemId}; returns what may be published now
   * (empty while everything is held back). Deltas of one item must come in order.
   */
  public String delta(String itemId, String delta) {
    if (!redactor.active()) {
      return delta == null ? "" : delta;
    }
    ItemStream stream = open.get(itemId);
    if (stream == null) {
      stream = new ItemStream(redactor.scanner(), this, nextSeq++);
      open.put(itemId, stream);
    }
    return stream.feed(delta);
  }

  /**
   * Ends item {@code itemId} with its final transcript: what was still held (to publish as the last
   * delta) and the redacted final. If {@code finalText} is the concatenation of the deltas (or
   * null), the final is exactly what the deltas released; otherwise it is redacted afresh.
   */
  public ItemEnd complete(String itemId, String finalText) {
    ItemStream stream = open.remove(itemId);
    if (!redactor.active()) {
      return new ItemEnd("", finalText);
    }
    if (stream == null) {
      return new ItemEnd("", finalText == null ? null : redactItem(finalText, nextSeq++));
    }
    String tail = stream.finish();
    if (finalText == null || stream.sameText(finalText)) {
      return new ItemEnd(tail, stream.output());
    }
    return new ItemEnd(tail, redactItem(finalText, stream.seq()));
  }

  /**
   * Ends item {@code itemId} without a final (e.g. a line cut off); returns what was still held, to
   * publish as its last delta. Empty for an unknown item.
   */
  public String flush(String itemId) {
    ItemStream stream = open.remove(itemId);
    return stream == null ? "" : stream.finish();
  }

  /** Redacts other text of this call (a tool argument, an event) in the call's context. */
  public String redact(String text) {
    if (text == null || text.isEmpty() || !redactor.active()) {
      return text;
    }
    return redactItem(text, Math.max(0, nextSeq - 1));
  }

  /**
   * The sensitive values of {@code text} taken as a whole item of this call (arming the context
   * like {@link #complete}); for metrics and tests.
   */
  public List<Finding> find(String text) {
    if (text == null || text.isEmpty() || !redactor.active()) {
      return List.of();
    }
    int seq = nextSeq++;
    ScanResult r = redactor.scanner().scanWhole(text, stateFor(seq, CueState.empty()));
    arm(r.state(), seq);
    return r.findings();
  }

  /** Characters held back across the open items (for tests and metrics). */
  public int heldChars() {
    int n = 0;
    for (ItemStream s : open.values()) {
      n += s.held();
    }
    return n;
  }

  private String redactItem(String text, int seq) {
    ScanResult r = redactor.scanner().scanWhole(text, stateFor(seq, CueState.empty()));
    arm(r.state(), seq);
    return redactor.detectors().render(text, 0, r);
  }

  /** The item's own cues plus those still armed for item {@code seq} by the call. */
  CueState stateFor(int seq, CueState own) {
    Set<CueKind> kinds = EnumSet.noneOf(CueKind.class);
    for (Map.Entry<CueKind, Integer> e : armedUntil.entrySet()) {
      if (seq <= e.getValue()) {
        kinds.add(e.getKey());
      }
    }
    CueState state = own.copy();
    state.inherit(kinds, asked, cardNumberAsked);
    return state;
  }

  /** Records the cues in force in item {@code seq} for the items after it. */
  void arm(CueState state, int seq) {
    for (CueKind kind : state.ownKinds()) {
      armedUntil.merge(kind, seq + CONTEXT_ITEMS, Math::max);
    }
    if (state.askedHere() != null) {
      asked = state.askedHere();
    } else if (state.answeredHere()) {
      asked = null;
    }
    if (state.cardNumberAskedHere()) {
      cardNumberAsked = true;
    } else if (state.cardNumberGivenHere()) {
      cardNumberAsked = false;
    }
  }
}

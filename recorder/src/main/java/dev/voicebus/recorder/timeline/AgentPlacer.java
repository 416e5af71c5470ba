package dev.voicebus.recorder.timeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Places the agent's audio where the caller heard it. Ingest plays agent audio as one real-time
 * queue per call and acknowledges each chunk's end with a {@link Mark} when the caller's side has
 * played it; a barge-in drops the queue ({@link Clear}) and ingest reports how much of the item was
 * heard ({@link ItemClear}). So, per chunk, in the order the worker sent them:
 *
 * <ul>
 *   <li>the chunk's end is placed at the time of the first mark of its item at or past that end
 *       (less the audio between), ignoring marks acknowledged after the item was cleared (Twilio
 *       echoes pending marks at a clear);
 *   <li>without such a mark it is placed as the queue would have played it: at its send time, or
 *       right after the audio before it;
 *   <li>audio of a cleared item past the heard offset is cut, and any chunk sent before a clear is
 *       cut at the clear's time;
 *   <li>a chunk that would start within the jitter tolerance after the previous one's end, or
 *       before it, follows it without a gap, so the agent never talks over itself.
 * </ul>
 *
 * Times are samples from the recording's start; offsets are samples within the item's audio. Chunks
 * with a seq already placed are duplicates and are dropped. Pure; one per rendering.
 */
public final class AgentPlacer {

  /** A chunk of agent audio: its seq, item, offset and length in the item, and when it was sent. */
  public record Chunk(long seq, String itemId, long offset, long samples, long sentAt) {}

  /** Ingest's acknowledgement that the item played through {@code played} at {@code ackedAt}. */
  public record Mark(long played, long ackedAt) {}

  /** Ingest dropped the item's queued audio at {@code at}, after {@code heard} had played. */
  public record ItemClear(long heard, long at) {}

  /** A ClearPlayback the worker sent after the chunk with seq {@code afterSeq}, at {@code at}. */
  public record Clear(String itemId, long at, long afterSeq) {}

  /**
   * Where a chunk's audio goes: its first {@code length} samples, starting at {@code at}.
   *
   * @param at the first sample's place on the timeline
   * @param length how many of the chunk's samples are kept (the rest was not heard)
   */
  public record Placement(long at, long length) {}

  /** What the agent said as one turn: the item, its span as heard, and whether it was cut off. */
  public record AgentTurn(String itemId, Span span, boolean interrupted) {}

  private final Map<String, List<Mark>> marks;
  private final Map<String, ItemClear> itemClears;
  private final List<Clear> clears;
  private final long jitter;
  private final Map<String, AgentTurn> turns = new LinkedHashMap<>();
  private long maxSeq = -1;
  private long previousEnd = -1;

  /**
   * @param marks each item's non-clearing marks
   * @param itemClears each cleared item's heard offset and clear time
   * @param clears the ClearPlaybacks, each with the seq of the last chunk sent before it
   * @param jitter the tolerance, in samples, within which consecutive audio is kept continuous
   */
  public AgentPlacer(
      Map<String, List<Mark>> marks,
      Map<String, ItemClear> itemClears,
      List<Clear> clears,
      long jitter) {
    this.marks = marks;
    this.itemClears = itemClears;
    List<Clear> ordered = new ArrayList<>(clears);
    ordered.sort(Comparator.comparingLong(Clear::afterSeq));
    this.clears = Collections.unmodifiableList(ordered);
    this.jitter = jitter;
  }

  /** Where {@code chunk} goes, or empty when nothing of it was heard (or it is a duplicate). */
  public Optional<Placement> place(Chunk chunk) {
    if (chunk.seq() <= maxSeq) {
      return Optional.empty();
    }
    maxSeq = chunk.seq();
    ItemClear cleared = itemClears.get(chunk.itemId());
    long from = chunk.offset();
    long to = from + chunk.samples();
    if (cleared != null) {
      to = Math.min(to, cleared.heard());
    }
    if (to <= from) {
      return Optional.empty();
    }
    long start = Math.max(0, followOn(estimatedStart(chunk, from, to, cleared)));
    long length = to - from;
    Optional<Long> cutAt = cutTime(chunk.seq());
    if (cutAt.isPresent()) {
      if (start >= cutAt.get()) {
        return Optional.empty();
      }
      length = Math.min(length, cutAt.get() - start);
    }
    previousEnd = start + length;
    boolean interrupted = cleared != null || length < chunk.samples();
    turns.merge(
        chunk.itemId(),
        new AgentTurn(chunk.itemId(), new Span(start, start + length), interrupted),
        (a, b) ->
            new AgentTurn(
                a.itemId(),
                new Span(
                    Math.min(a.span().from(), b.span().from()),
                    Math.max(a.span().to(), b.span().to())),
                a.interrupted() || b.interrupted()));
    return Optional.of(new Placement(start, length));
  }

  private long estimatedStart(Chunk chunk, long from, long to, ItemClear cleared) {
    Mark anchor = null;
    for (Mark mark : marks.getOrDefault(chunk.itemId(), List.of())) {
      boolean beforeClear = cleared == null || mark.ackedAt() < cleared.at();
      if (beforeClear
          && mark.played() >= to
          && (anchor == null || mark.played() < anchor.played())) {
        anchor = mark;
      }
    }
    if (cleared != null
        && cleared.heard() >= to
        && (anchor == null || cleared.heard() < anchor.played())) {
      anchor = new Mark(cleared.heard(), cleared.at());
    }
    if (anchor == null) {
      return previousEnd < 0 ? chunk.sentAt() : Math.max(chunk.sentAt(), previousEnd);
    }
    long end = anchor.ackedAt() - (anchor.played() - to);
    return end - (to - from);
  }

  private long followOn(long start) {
    if (previousEnd >= 0 && start <= previousEnd + jitter) {
      return previousEnd;
    }
    return start;
  }

  /** The time of the first clear sent after the chunk with {@code seq}, if any. */
  private Optional<Long> cutTime(long seq) {
    for (Clear clear : clears) {
      if (clear.afterSeq() >= seq) {
        ItemClear reported = clear.itemId() == null ? null : itemClears.get(clear.itemId());
        return Optional.of(reported != null ? reported.at() : clear.at());
      }
    }
    return Optional.empty();
  }

  /** The agent's turns as placed so far, in the order they started. */
  public List<AgentTurn> turns() {
    List<AgentTurn> ordered = new ArrayList<>(turns.values());
    ordered.sort(Comparator.comparingLong(t -> t.span().from()));
    return ordered;
  }
}

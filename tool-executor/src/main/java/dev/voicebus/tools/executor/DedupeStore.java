package dev.voicebus.tools.executor;

import dev.voicebus.avro.ToolResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * What {@code tool.dedupe} says about each toolCallId, by tool.calls partition, rebuilt when a
 * partition is assigned. An entry is in one {@link Phase}: a {@code committed} result (written in
 * the transaction that answered the call), or an {@link ExecutionJournal} entry written outside
 * transactions ({@code started}, {@code finished}). A later phase always wins, whatever order the
 * records arrive in. Committed entries remember the tool.calls offset they answered (header {@value
 * #SOURCE_OFFSET_HEADER}), so a replay of that same record after a crash is skipped, while a second
 * copy of the call gets the stored result re-published. Entries older than the retention are
 * forgotten. Used only on the poll thread.
 */
final class DedupeStore {

  static final String SOURCE_OFFSET_HEADER = "voicebus.tool.source-offset";
  static final String PHASE_HEADER = "voicebus.tool.phase";

  /** How far a toolCallId got, in order; records without a phase header are committed ones. */
  enum Phase {
    /** A non-idempotent tool was about to run; the result is the outcome-unknown answer. */
    STARTED,
    /** The tool ran and this is its result; the transaction publishing it may have failed. */
    FINISHED,
    /** The result was published and the call's offset committed, in one transaction. */
    COMMITTED;

    byte[] header() {
      return name().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    }

    static Phase of(Headers headers) {
      Header header = headers.lastHeader(PHASE_HEADER);
      if (header == null || header.value() == null) {
        return COMMITTED;
      }
      String name = new String(header.value(), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
      try {
        return Phase.valueOf(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Unknown " + PHASE_HEADER + " '" + name + "': expected started, finished or committed",
            e);
      }
    }
  }

  /** A stored result, the offset of the ToolCall it answers, and how far that call got. */
  record Entry(ToolResult result, long sourceOffset, Phase phase) {}

  private final Map<Integer, LinkedHashMap<String, Entry>> byPartition = new HashMap<>();
  private final Duration retention;

  DedupeStore(Duration retention) {
    this.retention = retention;
  }

  Optional<Entry> find(int partition, String toolCallId) {
    var entries = byPartition.get(partition);
    return entries == null ? Optional.empty() : Optional.ofNullable(entries.get(toolCallId));
  }

  /** Adds {@code entry} unless the stored one is in a later phase. */
  void put(int partition, Entry entry) {
    var entries = byPartition.computeIfAbsent(partition, p -> new LinkedHashMap<>());
    String id = entry.result().getToolCallId();
    Entry existing = entries.get(id);
    if (existing != null && existing.phase().compareTo(entry.phase()) > 0) {
      return;
    }
    entries.remove(id);
    entries.put(id, entry);
    expire(entries);
  }

  /** A tombstone in tool.dedupe: the toolCallId is forgotten (an operator's deletion). */
  void remove(int partition, String toolCallId) {
    var entries = byPartition.get(partition);
    if (entries != null) {
      entries.remove(toolCallId);
    }
  }

  void forget(int partition) {
    byPartition.remove(partition);
  }

  int size(int partition) {
    var entries = byPartition.get(partition);
    return entries == null ? 0 : entries.size();
  }

  private void expire(LinkedHashMap<String, Entry> entries) {
    Instant oldest = Instant.now().minus(retention);
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      if (!it.next().result().getCompletedAt().isBefore(oldest)) {
        return; // insertion order is completion order
      }
      it.remove();
    }
  }

  static byte[] offsetHeader(long offset) {
    return ByteBuffer.allocate(Long.BYTES).putLong(offset).array();
  }

  static long sourceOffset(Headers headers) {
    Header header = headers.lastHeader(SOURCE_OFFSET_HEADER);
    if (header == null || header.value() == null || header.value().length != Long.BYTES) {
      return -1;
    }
    return ByteBuffer.wrap(header.value()).getLong();
  }
}

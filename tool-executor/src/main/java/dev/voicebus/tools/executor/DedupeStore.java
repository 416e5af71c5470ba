package dev.voicebus.tools.executor;

import dev.voicebus.avro.ToolResult;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The results already committed, by tool.calls partition and toolCallId, rebuilt from {@code
 * tool.dedupe} when a partition is assigned. Each entry remembers the tool.calls offset it answered
 * (header {@value #SOURCE_OFFSET_HEADER}), so a replay of that same record after a crash is
 * skipped, while a second copy of the call (another offset) gets the stored result re-published.
 * Entries older than the retention are forgotten. Used only on the poll thread.
 */
final class DedupeStore {

  static final String SOURCE_OFFSET_HEADER = "voicebus.tool.source-offset";

  /** A committed result and the offset of the ToolCall it answered. */
  record Entry(ToolResult result, long sourceOffset) {}

  private final Map<Integer, LinkedHashMap<String, Entry>> byPartition = new HashMap<>();
  private final Duration retention;

  DedupeStore(Duration retention) {
    this.retention = retention;
  }

  Optional<Entry> find(int partition, String toolCallId) {
    var entries = byPartition.get(partition);
    return entries == null ? Optional.empty() : Optional.ofNullable(entries.get(toolCallId));
  }

  void put(int partition, Entry entry) {
    var entries = byPartition.computeIfAbsent(partition, p -> new LinkedHashMap<>());
    entries.remove(entry.result().getToolCallId());
    entries.put(entry.result().getToolCallId(), entry);
    expire(entries);
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

package dev.voicebus.analytics.live;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The text the transcript deltas of items still in progress have carried so far, per call. Kept in
 * memory on the instance that owns the call (not in the document, which would otherwise change with
 * every delta); written by the stream thread that owns the call, read by API threads.
 */
public final class LiveTranscripts {

  private final Map<String, Map<String, String>> calls = new ConcurrentHashMap<>();

  /** Appends a delta; returns the item's text before it. */
  public String append(String callId, String itemId, String delta) {
    var items = calls.computeIfAbsent(callId, id -> new ConcurrentHashMap<>());
    String before = items.getOrDefault(itemId, "");
    items.put(itemId, before + (delta == null ? "" : delta));
    return before;
  }

  public Optional<String> text(String callId, String itemId) {
    var items = calls.get(callId);
    return items == null ? Optional.empty() : Optional.ofNullable(items.get(itemId));
  }

  /** The in-progress texts of a call's items, by item id. */
  public Map<String, String> of(String callId) {
    var items = calls.get(callId);
    return items == null ? Map.of() : Map.copyOf(items);
  }

  public void done(String callId, String itemId) {
    var items = calls.get(callId);
    if (items != null) {
      items.remove(itemId);
    }
  }

  public void forget(String callId) {
    calls.remove(callId);
  }
}

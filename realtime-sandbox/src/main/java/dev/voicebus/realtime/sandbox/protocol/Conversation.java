package dev.voicebus.realtime.sandbox.protocol;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The default conversation of a session: items in order, capped at a maximum count (oldest items
 * are forgotten, like server-side truncation), plus running totals used for token usage.
 */
public final class Conversation {
  private final String id;
  private final int maxItems;
  private final LinkedHashMap<String, Item> items = new LinkedHashMap<>();
  private String lastItemId;
  private long textChars;
  private long userAudioMs;
  private long assistantAudioMs;

  public Conversation(String id, int maxItems) {
    this.id = id;
    this.maxItems = maxItems;
  }

  public String id() {
    return id;
  }

  /** Appends {@code item}; returns the id of the item before it (null if first). */
  public String add(Item item) {
    String previous = lastItemId;
    items.put(item.id(), item);
    lastItemId = item.id();
    if (items.size() > maxItems) {
      Iterator<Map.Entry<String, Item>> it = items.entrySet().iterator();
      it.next();
      it.remove();
    }
    return previous;
  }

  public Item get(String itemId) {
    return items.get(itemId);
  }

  /** Removes an item; returns it, or null if unknown. */
  public Item remove(String itemId) {
    Item removed = items.remove(itemId);
    if (removed != null && itemId.equals(lastItemId)) {
      lastItemId = null;
      for (String key : items.keySet()) {
        lastItemId = key;
      }
    }
    return removed;
  }

  public String lastItemId() {
    return lastItemId;
  }

  /** The most recent item, or null. */
  public Item last() {
    return lastItemId == null ? null : items.get(lastItemId);
  }

  public int size() {
    return items.size();
  }

  void countText(int chars) {
    textChars += chars;
  }

  void countUserAudio(long ms) {
    userAudioMs += ms;
  }

  void countAssistantAudio(long ms) {
    assistantAudioMs += ms;
  }

  public long textChars() {
    return textChars;
  }

  public long userAudioMs() {
    return userAudioMs;
  }

  public long assistantAudioMs() {
    return assistantAudioMs;
  }
}

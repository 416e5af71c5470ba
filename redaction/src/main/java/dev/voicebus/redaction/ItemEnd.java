package dev.voicebus.redaction;

/**
 * The end of a streamed transcript item.
 *
 * @param tail what was still held back: publish it as the item's last delta (may be empty)
 * @param finalText the redacted final transcript of the item
 */
public record ItemEnd(String tail, String finalText) {}

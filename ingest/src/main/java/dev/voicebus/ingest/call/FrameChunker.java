package dev.voicebus.ingest.call;

/**
 * Batches a call's incoming audio bytes into chunks of a fixed length (the {@code ingest.chunk-ms}
 * setting). Not thread-safe: owned by the call's event loop.
 */
public final class FrameChunker {

  /** Receives each completed chunk; the array is owned by the receiver. */
  @FunctionalInterface
  public interface Sink {
    void chunk(byte[] payload, long capturedAtMillis);
  }

  private final int chunkBytes;
  private byte[] buffer;
  private int length;
  private long firstAtMillis;

  public FrameChunker(int chunkBytes) {
    if (chunkBytes <= 0) {
      throw new IllegalArgumentException("chunkBytes must be positive: " + chunkBytes);
    }
    this.chunkBytes = chunkBytes;
  }

  /** Adds bytes received at {@code atMillis}, emitting every chunk that becomes full. */
  public void add(byte[] src, int offset, int count, long atMillis, Sink sink) {
    int pos = offset;
    int end = offset + count;
    while (pos < end) {
      if (buffer == null) {
        buffer = new byte[chunkBytes];
        length = 0;
        firstAtMillis = atMillis;
      }
      int n = Math.min(chunkBytes - length, end - pos);
      System.arraycopy(src, pos, buffer, length, n);
      length += n;
      pos += n;
      if (length == chunkBytes) {
        byte[] full = buffer;
        buffer = null;
        sink.chunk(full, firstAtMillis);
      }
    }
  }

  /** Emits the partial chunk, if any (at call end). */
  public void flush(Sink sink) {
    if (buffer != null && length > 0) {
      byte[] partial = java.util.Arrays.copyOf(buffer, length);
      buffer = null;
      sink.chunk(partial, firstAtMillis);
    }
    buffer = null;
  }

  public int buffered() {
    return buffer == null ? 0 : length;
  }
}

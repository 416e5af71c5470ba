package dev.voicebus.recorder.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One channel of a recording on disk: mono 16-bit little-endian PCM where the byte position is the
 * time (sample index x 2). Audio is written at its place in the call, so nothing of a call is held
 * in memory; ranges never written read as silence. Not thread-safe: one call's owner writes it.
 */
public final class ChannelFile implements AutoCloseable {

  /** Contiguous writes (the usual case: one frame after another) are gathered up to this. */
  private static final int BUFFER_BYTES = 16 * 1024;

  private final Path path;
  private final FileChannel channel;
  private final ByteBuffer pending = ByteBuffer.allocate(BUFFER_BYTES);
  private long pendingAt = -1;
  private long endSample;

  private ChannelFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /** Creates (or truncates) the file at {@code path}. */
  public static ChannelFile create(Path path) throws IOException {
    return new ChannelFile(
        path,
        FileChannel.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE));
  }

  /** Writes {@code pcm16le[from, to)} (whole samples) so that its first sample is {@code at}. */
  public void write(long at, byte[] pcm16le, int from, int to) throws IOException {
    if (at < 0 || from >= to) {
      return;
    }
    int bytes = to - from;
    boolean continues = pendingAt >= 0 && pendingAt * 2 + pending.position() == at * 2;
    if (!continues || pending.remaining() < bytes) {
      flush();
    }
    if (bytes > pending.capacity()) {
      writeAt(ByteBuffer.wrap(pcm16le, from, bytes), at * 2);
    } else {
      if (pendingAt < 0) {
        pendingAt = at;
      }
      pending.put(pcm16le, from, bytes);
    }
    endSample = Math.max(endSample, at + bytes / 2);
  }

  /** Writes out what is gathered. */
  public void flush() throws IOException {
    if (pendingAt >= 0) {
      writeAt(pending.flip(), pendingAt * 2);
      pending.clear();
      pendingAt = -1;
    }
  }

  private void writeAt(ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }

  /** Overwrites {@code [from, to)} samples with silence, where anything was written. */
  public void silence(long from, long to) throws IOException {
    flush();
    long end = Math.min(to, endSample);
    if (from >= end) {
      return;
    }
    ByteBuffer zeros = ByteBuffer.allocate(8192);
    long position = Math.max(0, from) * 2;
    long stop = end * 2;
    while (position < stop) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), stop - position));
      position += channel.write(zeros, position);
    }
  }

  /**
   * Reads samples {@code [at, at + dst.remaining()/2)} into {@code dst}; what lies past the written
   * end, or was never written, is silence.
   */
  public void read(long at, ByteBuffer dst) throws IOException {
    flush();
    long position = at * 2;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, position);
      if (n < 0) {
        break;
      }
      position += n;
    }
    while (dst.hasRemaining()) {
      dst.put((byte) 0);
    }
  }

  /** One past the last sample written. */
  public long endSample() {
    return endSample;
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    try (channel) {
      flush();
    }
  }

  /** Closes and deletes the file. */
  public void delete() throws IOException {
    try {
      channel.close();
    } finally {
      Files.deleteIfExists(path);
    }
  }
}

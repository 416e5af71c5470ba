package dev.voicebus.recorder.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a 16-bit PCM RIFF/WAVE file as a stream of interleaved frames: the header goes first with
 * placeholder sizes, which {@link #close()} fills in, so a recording of any length is written
 * without holding it in memory. A WAV file holds at most 4 GiB of audio; the recorder's maximum
 * call length keeps recordings far below that.
 */
public final class WavWriter implements AutoCloseable {

  /** Bytes of the canonical 44-byte header. */
  public static final int HEADER_BYTES = 44;

  private static final long MAX_DATA_BYTES = 0xFFFF_FFFFL - 36;

  private final FileChannel channel;
  private final int channels;
  private final int sampleRate;
  private long dataBytes;

  private WavWriter(FileChannel channel, int channels, int sampleRate) {
    this.channel = channel;
    this.channels = channels;
    this.sampleRate = sampleRate;
  }

  /** Creates {@code path} (replacing it) for {@code channels} channels at {@code sampleRate}. */
  public static WavWriter create(Path path, int channels, int sampleRate) throws IOException {
    if (channels < 1 || channels > 8 || sampleRate < 1) {
      throw new IllegalArgumentException(
          "channels=" + channels + ", sampleRate=" + sampleRate + ": use 1-8 channels, rate > 0");
    }
    FileChannel channel =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    var writer = new WavWriter(channel, channels, sampleRate);
    writer.writeFully(writer.header(0), 0);
    return writer;
  }

  /** Appends interleaved 16-bit little-endian frames. */
  public void write(ByteBuffer interleaved) throws IOException {
    int bytes = interleaved.remaining();
    if (bytes % (2 * channels) != 0) {
      throw new IllegalArgumentException(
          bytes + " bytes are not whole frames of " + channels + " 16-bit channels");
    }
    if (dataBytes + bytes > MAX_DATA_BYTES) {
      throw new IllegalStateException("a WAV file holds at most 4 GiB of audio");
    }
    writeFully(interleaved, HEADER_BYTES + dataBytes);
    dataBytes += bytes;
  }

  /** Frames written so far. */
  public long frames() {
    return dataBytes / (2L * channels);
  }

  private ByteBuffer header(long data) {
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    header.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (36 + data));
    header.put(new byte[] {'W', 'A', 'V', 'E'});
    header.put(new byte[] {'f', 'm', 't', ' '}).putInt(16);
    header.putShort((short) 1).putShort((short) channels).putInt(sampleRate);
    header.putInt(sampleRate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
    header.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) data);
    return header.flip();
  }

  private void writeFully(ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }

  /** Fills in the header's sizes, forces the file to disk and closes it. */
  @Override
  public void close() throws IOException {
    try (channel) {
      writeFully(header(dataBytes), 0);
      channel.force(true);
    }
  }
}

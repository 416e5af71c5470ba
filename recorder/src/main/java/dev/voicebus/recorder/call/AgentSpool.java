package dev.voicebus.recorder.call;

import dev.voicebus.recorder.timeline.AgentPlacer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent's audio of one call as the worker sent it, appended to a file in arrival order (chunk
 * header, then its 16-bit PCM), because where it goes on the timeline is known only once ingest's
 * playback marks are in: the recording places it when the call is finalised. Not thread-safe.
 */
final class AgentSpool implements AutoCloseable {

  /** One chunk read back: where it came from and its PCM. */
  record Entry(AgentPlacer.Chunk chunk, byte[] pcm16le) {}

  private final Path path;
  private final DataOutputStream out;
  private long chunks;

  AgentSpool(Path path) throws IOException {
    this.path = path;
    this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(path), 4096));
  }

  void append(AgentPlacer.Chunk chunk, byte[] pcm16le) throws IOException {
    out.writeLong(chunk.seq());
    out.writeUTF(chunk.itemId());
    out.writeLong(chunk.offset());
    out.writeLong(chunk.sentAt());
    out.writeInt(pcm16le.length);
    out.write(pcm16le);
    chunks++;
  }

  long chunks() {
    return chunks;
  }

  /** Reads the chunks back in the order they were appended. */
  interface Reader {
    void accept(Entry entry) throws IOException;
  }

  void forEach(Reader reader) throws IOException {
    out.flush();
    try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 65536))) {
      while (true) {
        long seq;
        try {
          seq = in.readLong();
        } catch (EOFException end) {
          return;
        }
        String itemId = in.readUTF();
        long offset = in.readLong();
        long sentAt = in.readLong();
        byte[] pcm = new byte[in.readInt()];
        in.readFully(pcm);
        reader.accept(
            new Entry(new AgentPlacer.Chunk(seq, itemId, offset, pcm.length / 2, sentAt), pcm));
      }
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  void delete() throws IOException {
    try {
      out.close();
    } finally {
      Files.deleteIfExists(path);
    }
  }
}

package dev.voicebus.ingest.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameChunkerTest {

  private record Chunk(byte[] payload, long at) {}

  @Test
  void emitsFullChunksAcrossInputBoundariesAndFlushesTheRest() {
    var chunker = new FrameChunker(4);
    List<Chunk> out = new ArrayList<>();
    FrameChunker.Sink sink = (payload, at) -> out.add(new Chunk(payload, at));
    chunker.add(new byte[] {1, 2, 3}, 0, 3, 100, sink);
    assertThat(out).isEmpty();
    chunker.add(new byte[] {4, 5, 6, 7, 8, 9, 10}, 0, 7, 120, sink);
    assertThat(out).hasSize(2);
    assertThat(out.get(0).payload()).containsExactly(1, 2, 3, 4);
    assertThat(out.get(0).at()).isEqualTo(100);
    assertThat(out.get(1).payload()).containsExactly(5, 6, 7, 8);
    assertThat(out.get(1).at()).isEqualTo(120);
    assertThat(chunker.buffered()).isEqualTo(2);
    chunker.flush(sink);
    assertThat(out.get(2).payload()).containsExactly(9, 10);
    chunker.flush(sink);
    assertThat(out).hasSize(3);
  }

  @Test
  void respectsOffsetAndLength() {
    var chunker = new FrameChunker(2);
    List<byte[]> out = new ArrayList<>();
    chunker.add(new byte[] {0, 1, 2, 3, 4}, 1, 3, 0, (p, at) -> out.add(p));
    chunker.flush((p, at) -> out.add(p));
    assertThat(out).containsExactly(new byte[] {1, 2}, new byte[] {3});
  }
}

package dev.voicebus.recorder.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavWriterTest {

  @Test
  void writesAPcmHeaderWhoseSizesMatchTheFramesWritten(@TempDir Path dir) throws Exception {
    Path wav = dir.resolve("a.wav");
    try (var writer = WavWriter.create(wav, 2, 8000)) {
      writer.write(ByteBuffer.wrap(new byte[] {1, 0, 2, 0, 3, 0, 4, 0}));
      writer.write(ByteBuffer.wrap(new byte[] {5, 0, 6, 0}));
      assertThat(writer.frames()).isEqualTo(3);
    }
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(bytes.capacity()).isEqualTo(44 + 12);
    assertThat(new String(bytes.array(), 0, 4)).isEqualTo("RIFF");
    assertThat(bytes.getInt(4)).isEqualTo(36 + 12);
    assertThat(new String(bytes.array(), 8, 8)).isEqualTo("WAVEfmt ");
    assertThat(bytes.getShort(20)).isEqualTo((short) 1);
    assertThat(bytes.getShort(22)).isEqualTo((short) 2);
    assertThat(bytes.getInt(24)).isEqualTo(8000);
    assertThat(bytes.getInt(28)).isEqualTo(32_000);
    assertThat(bytes.getShort(32)).isEqualTo((short) 4);
    assertThat(bytes.getShort(34)).isEqualTo((short) 16);
    assertThat(new String(bytes.array(), 36, 4)).isEqualTo("data");
    assertThat(bytes.getInt(40)).isEqualTo(12);
    assertThat(bytes.getShort(44 + 8)).isEqualTo((short) 5);
  }

  @Test
  void refusesPartialFrames(@TempDir Path dir) throws Exception {
    try (var writer = WavWriter.create(dir.resolve("b.wav"), 2, 8000)) {
      assertThatThrownBy(() -> writer.write(ByteBuffer.wrap(new byte[] {1, 0})))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not whole frames");
    }
  }

  @Test
  void channelFilesReadUnwrittenRangesAsSilence(@TempDir Path dir) throws Exception {
    try (var file = ChannelFile.create(dir.resolve("c.pcm"))) {
      file.write(4, new byte[] {7, 0, 8, 0}, 0, 4);
      ByteBuffer read = ByteBuffer.allocate(16);
      file.read(0, read);
      assertThat(read.array()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 8, 0, 0, 0, 0, 0);
      file.silence(5, 6);
      ByteBuffer again = ByteBuffer.allocate(4);
      file.read(4, again);
      assertThat(again.array()).containsExactly(7, 0, 0, 0);
      assertThat(file.endSample()).isEqualTo(6);
    }
  }
}

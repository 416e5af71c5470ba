package dev.voicebus.launcher.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.telephony.audio.G711;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

/** WAV files of every kind a caller might bring become 8 kHz mono mu-law. */
class CallerAudioTest {

  @Test
  void passesAnEightKilohertzMuLawWavThroughUnchanged() throws IOException {
    byte[] codes = new byte[800];
    for (int i = 0; i < codes.length; i++) {
      // Every codeword but mu-law's negative zero (0x7F), which comes back as 0xFF.
      codes[i] = (byte) (i % 256 == 0x7F ? 0xFF : i % 256);
    }
    var format = new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false);

    CallerAudio audio = CallerAudio.read(wav(codes, format), "caller.wav");

    assertThat(audio.mulaw()).isEqualTo(codes);
    assertThat(audio.durationMs()).isEqualTo(100);
  }

  @Test
  void expandsALawWithTheSharedCodec() throws IOException {
    byte[] codes = new byte[160];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = (byte) (i * 7);
    }
    var format = new AudioFormat(AudioFormat.Encoding.ALAW, 8000, 8, 1, 1, 8000, false);

    byte[] mulaw = CallerAudio.read(wav(codes, format), "alaw.wav").mulaw();

    for (int i = 0; i < codes.length; i++) {
      assertThat(mulaw[i]).isEqualTo(G711.pcmToMuLaw(G711.aLawToPcm(codes[i])));
    }
  }

  @Test
  void mixesStereoSixteenKilohertzPcmToMonoAtEightKilohertz() throws IOException {
    int frames = 1600; // 100 ms at 16 kHz
    ByteBuffer pcm = ByteBuffer.allocate(frames * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < frames; i++) {
      pcm.putShort((short) 3000).putShort((short) 1000);
    }
    var format = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, 16000, 16, 2, 4, 16000, false);

    CallerAudio audio = CallerAudio.read(wav(pcm.array(), format), "stereo.wav");

    assertThat(audio.durationMs()).isEqualTo(100);
    assertThat(audio.mulaw()).hasSize(800).containsOnly(G711.pcmToMuLaw((short) 2000));
  }

  @Test
  void namesAFileThatIsNotAWav() {
    assertThatThrownBy(() -> CallerAudio.read(new ByteArrayInputStream(new byte[64]), "notes.txt"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("notes.txt is not a WAV file Voicebus can read");
  }

  private static InputStream wav(byte[] data, AudioFormat format) throws IOException {
    long frames = data.length / format.getFrameSize();
    var out = new ByteArrayOutputStream();
    try (var stream = new AudioInputStream(new ByteArrayInputStream(data), format, frames)) {
      AudioSystem.write(stream, AudioFileFormat.Type.WAVE, out);
    }
    return new ByteArrayInputStream(out.toByteArray());
  }
}

package dev.voicebus.ingest.playback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.ClearPlayback;
import dev.voicebus.ingest.admin.IngestMetrics;
import dev.voicebus.ingest.call.CallChannel;
import dev.voicebus.ingest.config.IngestConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PlaybackPacerTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final List<String> wire = new ArrayList<>();
  private final List<String> played = new ArrayList<>();
  private final CallChannel channel =
      new CallChannel() {
        @Override
        public void writeAudio(byte[] frame) {
          wire.add("audio:" + frame.length);
        }

        @Override
        public void writeMark(String name) {
          wire.add("mark:" + name);
        }

        @Override
        public void writeClear() {
          wire.add("clear");
        }

        @Override
        public void flush() {}

        @Override
        public void close(int code, String reason) {}
      };
  private final PlaybackPacer.Listener listener =
      new PlaybackPacer.Listener() {
        @Override
        public void played(String name, String itemId, long playedMs, boolean cleared) {
          played.add(name + "=" + playedMs + (cleared ? " cleared" : ""));
        }

        @Override
        public void hangup(dev.voicebus.avro.Hangup hangup) {}
      };

  private PlaybackPacer pacer(AudioCodec codec) {
    var settings =
        new IngestConfig.Audio(
            20, 0, Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(1));
    return new PlaybackPacer(
        codec,
        new EmbeddedChannel().eventLoop(),
        channel,
        settings,
        new IngestMetrics(),
        listener,
        clock::get);
  }

  private static AgentAudio audio(AudioCodec codec, long offsetMs, int bytes) {
    return AgentAudio.newBuilder()
        .setCallId("c")
        .setSeq(0)
        .setItemId("it")
        .setOffsetMs(offsetMs)
        .setDurationMs(0)
        .setCodec(codec)
        .setPayload(ByteBuffer.wrap(new byte[bytes]))
        .build();
  }

  @Test
  void rechunksIntoTwentyMillisecondFramesFollowedByAMark() {
    var pacer = pacer(AudioCodec.PCM16);
    pacer.onAgentAudio(audio(AudioCodec.PCM16, 0, 48 * 50));
    assertThat(wire).containsExactly("audio:960", "audio:960", "audio:480", "mark:it:50");
    pacer.onMarkEcho("it:50");
    assertThat(played).containsExactly("it:50=50");
  }

  @Test
  void sendsOnlyTheLeadAheadOfRealTime() {
    var pacer = pacer(AudioCodec.PCMU);
    pacer.onAgentAudio(audio(AudioCodec.PCMU, 0, 8 * 1000));
    // 100 ms lead = 5 frames now; the rest follows on the schedule.
    assertThat(wire).containsOnly("audio:160").hasSize(5);
  }

  @Test
  void marksEchoedAfterAClearReportOnlyWhatWasHeard() {
    var pacer = pacer(AudioCodec.PCMU);
    pacer.onAgentAudio(audio(AudioCodec.PCMU, 0, 8 * 40));
    pacer.onAgentAudio(audio(AudioCodec.PCMU, 40, 8 * 40));
    assertThat(wire).contains("mark:it:40", "mark:it:80");
    // 80 ms went out at once; 30 ms later the caller has heard 30 ms and 50 ms are buffered.
    clock.addAndGet(30_000_000L);
    pacer.onClear(ClearPlayback.newBuilder().setCallId("c").setAt(Instant.now()).build());
    assertThat(wire).endsWith("clear");
    pacer.onMarkEcho("it:40");
    pacer.onMarkEcho("it:80");
    assertThat(played)
        .containsExactly("clear:it=30 cleared", "it:40=30 cleared", "it:80=30 cleared");
  }

  @Test
  void marksOfAudioHeardBeforeTheClearAreNotCleared() {
    var pacer = pacer(AudioCodec.PCMU);
    pacer.onAgentAudio(audio(AudioCodec.PCMU, 0, 8 * 40));
    pacer.onAgentAudio(audio(AudioCodec.PCMU, 40, 8 * 40));
    clock.addAndGet(60_000_000L);
    pacer.onClear(ClearPlayback.newBuilder().setCallId("c").setAt(Instant.now()).build());
    pacer.onMarkEcho("it:40");
    pacer.onMarkEcho("it:80");
    assertThat(played).containsExactly("clear:it=60 cleared", "it:40=40", "it:80=60 cleared");
  }

  @Test
  void dropsAudioInTheWrongCodec() {
    var pacer = pacer(AudioCodec.PCMU);
    pacer.onAgentAudio(audio(AudioCodec.PCM16, 0, 960));
    assertThat(wire).isEmpty();
  }
}

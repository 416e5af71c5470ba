package dev.voicebus.recorder.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.recorder.timeline.AgentPlacer.Chunk;
import dev.voicebus.recorder.timeline.AgentPlacer.Clear;
import dev.voicebus.recorder.timeline.AgentPlacer.ItemClear;
import dev.voicebus.recorder.timeline.AgentPlacer.Mark;
import dev.voicebus.recorder.timeline.AgentPlacer.Placement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Placement in samples at 8 kHz: 8 samples per ms; jitter 480 samples (60 ms). */
class AgentPlacerTest {

  private static final long JITTER = 480;

  @Test
  void placesEachChunkSoThatItEndsWhenItsMarkWasAcknowledged() {
    var placer =
        new AgentPlacer(
            Map.of("a", List.of(new Mark(1600, 20_000), new Mark(3200, 21_600))),
            Map.of(),
            List.of(),
            JITTER);
    assertThat(placer.place(new Chunk(0, "a", 0, 1600, 10_000)))
        .contains(new Placement(18_400, 1600));
    assertThat(placer.place(new Chunk(1, "a", 1600, 1600, 10_000)))
        .contains(new Placement(20_000, 1600));
  }

  @Test
  void withoutMarksAChunkPlaysWhenSentOrAfterTheAudioQueuedBeforeIt() {
    var placer = new AgentPlacer(Map.of(), Map.of(), List.of(), JITTER);
    assertThat(placer.place(new Chunk(0, "a", 0, 1600, 8000))).contains(new Placement(8000, 1600));
    assertThat(placer.place(new Chunk(1, "a", 1600, 1600, 8000)))
        .contains(new Placement(9600, 1600));
    assertThat(placer.place(new Chunk(2, "b", 0, 800, 40_000)))
        .contains(new Placement(40_000, 800));
  }

  @Test
  void cutsAClearedItemAtTheHeardOffsetAndDropsWhatWasNeverHeard() {
    var placer =
        new AgentPlacer(
            Map.of("b", List.of(new Mark(1600, 27_200))),
            Map.of("b", new ItemClear(2400, 28_000)),
            List.of(new Clear("b", 27_900, 4)),
            JITTER);
    assertThat(placer.place(new Chunk(0, "b", 0, 1600, 24_000)))
        .contains(new Placement(25_600, 1600));
    assertThat(placer.place(new Chunk(1, "b", 1600, 1600, 24_000)))
        .contains(new Placement(27_200, 800));
    assertThat(placer.place(new Chunk(2, "b", 3200, 1600, 24_000))).isEmpty();
    assertThat(placer.turns())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.span()).isEqualTo(new Span(25_600, 28_000));
              assertThat(t.interrupted()).isTrue();
            });
  }

  @Test
  void aClearWithoutIngestsReportCutsQueuedAudioAtTheClearsTime() {
    var placer = new AgentPlacer(Map.of(), Map.of(), List.of(new Clear("a", 9000, 1)), JITTER);
    assertThat(placer.place(new Chunk(0, "a", 0, 1600, 8000))).contains(new Placement(8000, 1000));
    assertThat(placer.place(new Chunk(1, "a", 1600, 1600, 8000))).isEmpty();
    assertThat(placer.place(new Chunk(2, "c", 0, 800, 12_000)))
        .contains(new Placement(12_000, 800));
  }

  @Test
  void ignoresMarksAcknowledgedAfterTheItemWasCleared() {
    var placer =
        new AgentPlacer(
            Map.of("b", List.of(new Mark(1600, 50_000))),
            Map.of("b", new ItemClear(1600, 20_000)),
            List.of(),
            JITTER);
    assertThat(placer.place(new Chunk(0, "b", 0, 1600, 10_000)))
        .contains(new Placement(18_400, 1600));
  }

  @Test
  void dropsDuplicateChunksBySeq() {
    var placer = new AgentPlacer(Map.of(), Map.of(), List.of(), JITTER);
    assertThat(placer.place(new Chunk(3, "a", 0, 160, 0))).isPresent();
    assertThat(placer.place(new Chunk(3, "a", 0, 160, 0))).isEmpty();
    assertThat(placer.place(new Chunk(2, "a", 0, 160, 0))).isEmpty();
  }

  @Test
  void keepsAudioContinuousWhenMarksJitterWithinTheTolerance() {
    var placer =
        new AgentPlacer(
            Map.of("a", List.of(new Mark(1600, 10_000), new Mark(3200, 11_500))),
            Map.of(),
            List.of(),
            JITTER);
    assertThat(placer.place(new Chunk(0, "a", 0, 1600, 0))).contains(new Placement(8400, 1600));
    // Its mark says it ended 100 samples early: it still follows on without overlap.
    assertThat(placer.place(new Chunk(1, "a", 1600, 1600, 0)))
        .contains(new Placement(10_000, 1600));
  }
}

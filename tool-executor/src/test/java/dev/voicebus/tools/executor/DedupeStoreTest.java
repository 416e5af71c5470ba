package dev.voicebus.tools.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.tools.executor.DedupeStore.Phase;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DedupeStoreTest {

  private static ToolResult result(String toolCallId, Instant completedAt) {
    return ToolResult.newBuilder()
        .setCallId("call-1")
        .setToolCallId(toolCallId)
        .setName("echo_test")
        .setStatus(ToolStatus.OK)
        .setOutputJson("{}")
        .setCompletedAt(completedAt)
        .build();
  }

  @Test
  void findsResultsByPartitionAndToolCallId() {
    var store = new DedupeStore(Duration.ofHours(1));
    store.put(0, new DedupeStore.Entry(result("tc-1", Instant.now()), 7, Phase.COMMITTED));

    assertThat(store.find(0, "tc-1")).map(DedupeStore.Entry::sourceOffset).contains(7L);
    assertThat(store.find(1, "tc-1")).isEmpty();
    store.forget(0);
    assertThat(store.find(0, "tc-1")).isEmpty();
  }

  @Test
  void forgetsEntriesOlderThanTheRetention() {
    var store = new DedupeStore(Duration.ofMinutes(5));
    store.put(
        0,
        new DedupeStore.Entry(result("old", Instant.now().minusSeconds(600)), 1, Phase.COMMITTED));
    store.put(0, new DedupeStore.Entry(result("new", Instant.now()), 2, Phase.COMMITTED));

    assertThat(store.find(0, "old")).isEmpty();
    assertThat(store.find(0, "new")).isPresent();
  }

  @Test
  void sourceOffsetRoundTripsThroughAHeader() {
    var headers = new RecordHeaders();
    headers.add(DedupeStore.SOURCE_OFFSET_HEADER, DedupeStore.offsetHeader(123_456_789_012L));
    assertThat(DedupeStore.sourceOffset(headers)).isEqualTo(123_456_789_012L);
    assertThat(DedupeStore.sourceOffset(new RecordHeaders())).isEqualTo(-1);
  }

  @Test
  void aLaterPhaseWinsWhateverOrderTheRecordsArriveIn() {
    var store = new DedupeStore(Duration.ofHours(1));
    store.put(0, new DedupeStore.Entry(result("tc-2", Instant.now()), 5, Phase.STARTED));
    store.put(0, new DedupeStore.Entry(result("tc-2", Instant.now()), 5, Phase.COMMITTED));
    store.put(0, new DedupeStore.Entry(result("tc-2", Instant.now()), 5, Phase.FINISHED));

    assertThat(store.find(0, "tc-2")).map(DedupeStore.Entry::phase).contains(Phase.COMMITTED);
  }

  @Test
  void aTombstoneForgetsTheToolCallId() {
    var store = new DedupeStore(Duration.ofHours(1));
    store.put(0, new DedupeStore.Entry(result("tc-3", Instant.now()), 5, Phase.FINISHED));

    store.remove(0, "tc-3");

    assertThat(store.find(0, "tc-3")).isEmpty();
  }

  @Test
  void phaseComesFromItsHeaderAndRecordsWithoutOneAreCommitted() {
    var started = new RecordHeaders();
    started.add(DedupeStore.PHASE_HEADER, Phase.STARTED.header());
    var unknown = new RecordHeaders();
    unknown.add(DedupeStore.PHASE_HEADER, "halfway".getBytes());

    assertThat(Phase.of(started)).isEqualTo(Phase.STARTED);
    assertThat(Phase.of(new RecordHeaders())).isEqualTo(Phase.COMMITTED);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Phase.of(unknown))
        .hasMessageContaining("Unknown voicebus.tool.phase 'HALFWAY'");
  }
}

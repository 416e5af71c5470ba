package dev.voicebus.recorder.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryStoreTest {

  @Test
  void storesUnderTenantAndDayAndRetentionDeletesOnlyOldRecordings(@TempDir Path dir)
      throws Exception {
    var store = new LocalDirectoryStore(dir.resolve("rec"));
    RecordingKey old = new RecordingKey("acme", Instant.parse("2026-01-05T09:00:00Z"), "old");
    RecordingKey recent = new RecordingKey("acme", Instant.parse("2026-03-01T09:00:00Z"), "new");
    Path wav = Files.writeString(dir.resolve("x.wav"), "RIFF");
    Path json = Files.writeString(dir.resolve("x.json"), "{}");
    assertThat(store.store(old, wav, json))
        .isEqualTo(dir.resolve("rec/acme/2026/01/05/old.wav").toUri());
    store.store(recent, wav, json);
    Files.setLastModifiedTime(
        dir.resolve("rec/" + old.wav()), FileTime.from(Instant.parse("2026-01-05T09:10:00Z")));
    Files.setLastModifiedTime(
        dir.resolve("rec/" + old.json()), FileTime.from(Instant.parse("2026-01-05T09:10:00Z")));
    Files.setLastModifiedTime(
        dir.resolve("rec/" + recent.wav()), FileTime.from(Instant.parse("2026-03-01T09:10:00Z")));
    Files.setLastModifiedTime(
        dir.resolve("rec/" + recent.json()), FileTime.from(Instant.parse("2026-03-01T09:10:00Z")));

    AtomicInteger counted = new AtomicInteger();
    var sweeper =
        new RetentionSweeper(
            store,
            Duration.ofDays(30),
            Clock.fixed(Instant.parse("2026-03-10T00:00:00Z"), ZoneOffset.UTC),
            () -> true,
            counted::addAndGet);

    assertThat(sweeper.sweep()).isEqualTo(2);
    assertThat(counted).hasValue(2);
    assertThat(store.exists(old)).isFalse();
    assertThat(store.exists(recent)).isTrue();
    assertThat(dir.resolve("rec/acme/2026/01")).doesNotExist();
    assertThat(Files.readString(dir.resolve("rec/" + recent.wav()))).isEqualTo("RIFF");
  }

  @Test
  void aSweeperWhoseTurnItIsNotDeletesNothing(@TempDir Path dir) throws Exception {
    var store = new LocalDirectoryStore(dir);
    RecordingKey key = new RecordingKey("acme", Instant.parse("2020-01-01T00:00:00Z"), "c");
    Path wav = Files.writeString(dir.resolve("y.wav"), "RIFF");
    store.store(key, wav, wav);
    var sweeper =
        new RetentionSweeper(store, Duration.ofHours(1), Clock.systemUTC(), () -> false, n -> {});
    assertThat(sweeper.sweep()).isZero();
    assertThat(store.exists(key)).isTrue();
  }

  @Test
  void keysCannotLeaveTheirTenantsFolder() {
    var key = new RecordingKey("../etc", Instant.parse("2026-01-05T09:00:00Z"), "a/../../b c");
    assertThat(key.base()).isEqualTo("..%2Fetc/2026/01/05/a%2F..%2F..%2Fb%20c");
    assertThat(new RecordingKey("..", Instant.EPOCH, ".").base())
        .isEqualTo("%2E%2E/1970/01/01/%2E");
  }
}

package dev.voicebus.recorder.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.recorder.testing.FakeS3Server;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 store through the AWS SDK's S3 client against {@link FakeS3Server} on a real socket:
 * path-style keys under the prefix, SigV4-signed requests for the configured key and region,
 * retention deleting old recordings only.
 */
class S3StoreIT {

  private static final String BUCKET = "voicebus-recordings";

  @Test
  void storesBothFilesUnderTheTenantDayKeyWithSignedRequests(@TempDir Path dir) throws Exception {
    try (var s3 = new FakeS3Server(BUCKET, "AKIDTEST", "secret-key-1", "eu-west-1");
        var store = new S3Store(settings(s3, "secret-key-1", "calls/"))) {
      RecordingKey key = new RecordingKey("acme", Instant.parse("2026-11-27T10:15:00Z"), "call-1");
      URI location = store.store(key, file(dir, "a.wav", "RIFF"), file(dir, "a.json", "{}"));

      assertThat(location).hasToString("s3://voicebus-recordings/calls/acme/2026/11/27/call-1.wav");
      assertThat(s3.objects())
          .containsOnlyKeys(
              "calls/acme/2026/11/27/call-1.wav", "calls/acme/2026/11/27/call-1.json");
      assertThat(new String(s3.objects().get("calls/acme/2026/11/27/call-1.wav")))
          .isEqualTo("RIFF");
      assertThat(s3.requests()).isNotEmpty().allMatch(FakeS3Server.Request::signed);
      assertThat(s3.requests()).allMatch(r -> r.path().startsWith("/voicebus-recordings/"));
      assertThat(store.exists(key)).isTrue();
      assertThat(store.exists(new RecordingKey("acme", Instant.now(), "other"))).isFalse();
    }
  }

  @Test
  void aWrongSecretIsRefusedAndReportedAsAFailedStore(@TempDir Path dir) throws Exception {
    try (var s3 = new FakeS3Server(BUCKET, "AKIDTEST", "secret-key-1", "eu-west-1");
        var store = new S3Store(settings(s3, "not-the-secret", ""))) {
      RecordingKey key = new RecordingKey("acme", Instant.now(), "call-2");
      assertThatThrownBy(() -> store.store(key, file(dir, "b.wav", "x"), file(dir, "b.json", "{}")))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("s3://voicebus-recordings/")
          .hasMessageNotContaining("not-the-secret");
      assertThat(s3.objects()).isEmpty();
      assertThat(s3.requests()).isNotEmpty().noneMatch(FakeS3Server.Request::signed);
    }
  }

  @Test
  void retentionDeletesRecordingsOlderThanTheCutoffOnly(@TempDir Path dir) throws Exception {
    try (var s3 = new FakeS3Server(BUCKET, "AKIDTEST", "secret-key-1", "eu-west-1");
        var store = new S3Store(settings(s3, "secret-key-1", ""))) {
      Instant day = Instant.parse("2026-01-01T00:00:00Z");
      RecordingKey old = new RecordingKey("acme", day, "old");
      RecordingKey recent = new RecordingKey("acme", day, "recent");
      store.store(old, file(dir, "o.wav", "o"), file(dir, "o.json", "{}"));
      store.store(recent, file(dir, "r.wav", "r"), file(dir, "r.json", "{}"));
      s3.backdate(old.wav(), Instant.parse("2026-01-01T00:00:00Z"));
      s3.backdate(old.json(), Instant.parse("2026-01-01T00:00:00Z"));

      int deleted = store.deleteOlderThan(Instant.parse("2026-02-01T00:00:00Z"));

      assertThat(deleted).isEqualTo(2);
      assertThat(s3.objects()).containsOnlyKeys(recent.wav(), recent.json());
    }
  }

  static S3Settings settings(FakeS3Server s3, String secret, String prefix) {
    return new S3Settings(
        BUCKET,
        prefix,
        Optional.of(s3.endpoint()),
        "eu-west-1",
        true,
        Optional.of(new S3Settings.Credentials("AKIDTEST", secret)));
  }

  static Path file(Path dir, String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }
}

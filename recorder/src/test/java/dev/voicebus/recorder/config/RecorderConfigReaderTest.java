package dev.voicebus.recorder.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.schemas.config.ConfigSource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecorderConfigReaderTest {

  @Test
  void defaultsRecordEveryProfileToALocalDirectoryForever() {
    RecorderConfig config = RecorderConfigReader.read(ConfigSource.of(Map.of()));
    assertThat(config.policy().records("support")).isTrue();
    assertThat(config.storage()).isInstanceOf(RecorderConfig.Storage.Local.class);
    assertThat(config.retention()).isEmpty();
    assertThat(config.adminPort()).isEqualTo(8084);
    assertThat(config.limits().maxCallDuration()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void profilesSwitchRecordingPerProfile() {
    RecorderConfig config =
        RecorderConfigReader.read(
            ConfigSource.of(
                Map.of(
                    "recorder.default", "off",
                    "recorder.profiles", "# payments\nsupport=on, sales=off\nbilling = ON")));
    assertThat(config.policy().records("support")).isTrue();
    assertThat(config.policy().records("billing")).isTrue();
    assertThat(config.policy().records("sales")).isFalse();
    assertThat(config.policy().records("other")).isFalse();
  }

  @Test
  void retentionTakesDays() {
    RecorderConfig config =
        RecorderConfigReader.read(ConfigSource.of(Map.of("recorder.retention", "90d")));
    assertThat(config.retention()).contains(Duration.ofDays(90));
  }

  @Test
  void s3NeedsABucketAndBothHalvesOfAKey() {
    RecorderConfig config =
        RecorderConfigReader.read(
            ConfigSource.of(
                Map.of(
                    "recorder.storage", "s3",
                    "recorder.s3.bucket", "calls",
                    "recorder.s3.prefix", "voicebus",
                    "recorder.s3.endpoint", "http://minio:9000",
                    "recorder.s3.access-key-id", "AKID",
                    "recorder.s3.secret-access-key", "top-secret")));
    var s3 = ((RecorderConfig.Storage.S3) config.storage()).settings();
    assertThat(s3.prefix()).isEqualTo("voicebus/");
    assertThat(s3.toString()).doesNotContain("top-secret");
    assertThatThrownBy(
            () ->
                RecorderConfigReader.read(
                    ConfigSource.of(
                        Map.of(
                            "recorder.storage", "s3",
                            "recorder.s3.bucket", "calls",
                            "recorder.s3.secret-access-key", "top-secret"))))
        .hasMessageContaining("recorder.s3.access-key-id and recorder.s3.secret-access-key")
        .hasMessageNotContaining("top-secret");
    assertThatThrownBy(
            () -> RecorderConfigReader.read(ConfigSource.of(Map.of("recorder.storage", "s3"))))
        .hasMessageContaining("recorder.s3.bucket is required");
  }

  @Test
  void badValuesNameTheKeyTheValueAndWhatIsAllowed() {
    assertBad("recorder.storage", "ftp", "use local or s3");
    assertBad("recorder.profiles", "support", "use PROFILE=on or PROFILE=off");
    assertBad("recorder.default", "maybe", "use on or off");
    assertBad("recorder.retention", "10m", "at least 1h");
    assertBad("recorder.idle-timeout", "0s", "above 0");
    assertBad("recorder.start-at", "middle", "use latest or earliest");
    assertBad("recorder.admin-port", "70000", "from 0 to 65535");
    assertThatThrownBy(
            () ->
                RecorderConfigReader.read(
                    ConfigSource.of(
                        Map.of(
                            "recorder.storage", "s3",
                            "recorder.s3.bucket", "calls",
                            "recorder.s3.endpoint", "minio:9000/x"))))
        .hasMessageContaining("recorder.s3.endpoint='minio:9000/x' is invalid");
  }

  private static void assertBad(String key, String value, String allowed) {
    assertThatThrownBy(() -> RecorderConfigReader.read(ConfigSource.of(Map.of(key, value))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(value)
        .hasMessageContaining(allowed);
  }
}

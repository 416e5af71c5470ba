package dev.voicebus.worker.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.voicebus.realtime.event.TranscriptionUsage;
import dev.voicebus.schemas.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceBookTest {

  @Test
  void theProfilesModelPicksItsTableExactlyOrByItsLongestPrefix() {
    var book = PriceBook.DEFAULT;

    assertThat(book.forModel("gpt-realtime-mini")).isEqualTo(PriceTable.GPT_REALTIME_MINI);
    assertThat(book.forModel("gpt-realtime-mini-2025-10-06"))
        .isEqualTo(PriceTable.GPT_REALTIME_MINI);
    assertThat(book.forModel("gpt-realtime-2025-08-28")).isEqualTo(PriceTable.GPT_REALTIME);
    assertThat(book.forModel("some-future-model")).isEqualTo(PriceTable.GPT_REALTIME);
  }

  @Test
  void tokenBilledTranscriptionIsCostedByItsModelsTokenRates() {
    var usage = TranscriptionUsage.tokens(1_000, 900, 50);
    double cost = PriceBook.DEFAULT.forModel("gpt-4o-transcribe").transcriptionCost(usage);

    // 100 text in at $2.50/M, 900 audio in at $6/M, 50 text out at $10/M.
    assertThat(cost).isEqualTo((100 * 2.5 + 900 * 6.0 + 50 * 10.0) / 1e6, offset(1e-12));
  }

  @Test
  void durationBilledTranscriptionIsCostedPerMinute() {
    double cost =
        PriceBook.DEFAULT.forModel("whisper-1").transcriptionCost(TranscriptionUsage.duration(30));

    assertThat(cost).isEqualTo(0.003, offset(1e-12));
  }

  @Test
  void aPricesFileAddsAndReplacesTablesAndSettingsOverrideGptRealtime(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("prices.json");
    Files.writeString(
        file, "{\"models\": {\"acme-voice\": {\"audioInput\": 1, \"audioOutput\": 2}}}");

    var book =
        PriceBook.from(
            ConfigSource.of(
                Map.of("worker.prices-file", file.toString(), "worker.price.audio-output", "50")));

    assertThat(book.forModel("acme-voice").audioOutput()).isEqualTo(2.0);
    assertThat(book.forModel("acme-voice").cachedAudioInput())
        .as("defaults to audioInput")
        .isEqualTo(1.0);
    assertThat(book.forModel("gpt-realtime").audioOutput()).isEqualTo(50.0);
  }

  @Test
  void aBadPricesFileNamesTheModelAndTheProblem(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prices.json");
    Files.writeString(file, "{\"models\": {\"cheap\": {\"textInput\": -1}}}");

    assertThatThrownBy(
            () -> PriceBook.from(ConfigSource.of(Map.of("worker.prices-file", file.toString()))))
        .hasMessageContaining("models.cheap")
        .hasMessageContaining(">= 0");
  }

  @Test
  void aConfigReadTwiceGivesEqualBooks() {
    var config =
        dev.voicebus.schemas.config.ConfigSource.of(
            java.util.Map.of("worker.price.text-input", "5"));
    assertThat(PriceBook.from(config))
        .isEqualTo(PriceBook.from(config))
        .isNotEqualTo(PriceBook.DEFAULT);
    assertThat(PriceBook.from(config).hashCode()).isEqualTo(PriceBook.from(config).hashCode());
  }
}

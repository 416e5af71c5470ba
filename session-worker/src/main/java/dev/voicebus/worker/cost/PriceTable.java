package dev.voicebus.worker.cost;

import dev.voicebus.realtime.event.TranscriptionUsage;
import dev.voicebus.realtime.event.Usage;
import dev.voicebus.schemas.config.ConfigSource;

/**
 * One model's prices: US dollars per million tokens by modality, for turning a response's (or a
 * token-billed transcription's) usage into cost, and USD per minute for transcription billed by
 * duration. Cached input tokens are a subset of input tokens and are charged at the cached rate
 * instead. {@link PriceBook} holds one per model.
 */
public record PriceTable(
    double textInput,
    double cachedTextInput,
    double audioInput,
    double cachedAudioInput,
    double textOutput,
    double audioOutput,
    double transcriptionPerMinute) {

  /** gpt-realtime list prices. */
  public static final PriceTable GPT_REALTIME =
      new PriceTable(4.00, 0.40, 32.00, 0.40, 16.00, 64.00, 0.003);

  /** gpt-realtime-mini list prices. */
  public static final PriceTable GPT_REALTIME_MINI =
      new PriceTable(0.60, 0.06, 10.00, 0.30, 2.40, 20.00, 0.003);

  /** gpt-4o-transcribe list prices (token-billed; text out is the transcript). */
  public static final PriceTable GPT_4O_TRANSCRIBE =
      new PriceTable(2.50, 2.50, 6.00, 6.00, 10.00, 0, 0.006);

  /** gpt-4o-mini-transcribe list prices. */
  public static final PriceTable GPT_4O_MINI_TRANSCRIBE =
      new PriceTable(1.25, 1.25, 3.00, 3.00, 5.00, 0, 0.003);

  /** whisper-1: billed by duration only. */
  public static final PriceTable WHISPER_1 = new PriceTable(0, 0, 0, 0, 0, 0, 0.006);

  public PriceTable {
    for (double rate :
        new double[] {
          textInput,
          cachedTextInput,
          audioInput,
          cachedAudioInput,
          textOutput,
          audioOutput,
          transcriptionPerMinute
        }) {
      if (rate < 0 || Double.isNaN(rate)) {
        throw new IllegalArgumentException("worker.price.* rates must be >= 0, got " + rate);
      }
    }
  }

  public static PriceTable from(ConfigSource config) {
    var d = GPT_REALTIME;
    return new PriceTable(
        rate(config, "worker.price.text-input", d.textInput),
        rate(config, "worker.price.cached-text-input", d.cachedTextInput),
        rate(config, "worker.price.audio-input", d.audioInput),
        rate(config, "worker.price.cached-audio-input", d.cachedAudioInput),
        rate(config, "worker.price.text-output", d.textOutput),
        rate(config, "worker.price.audio-output", d.audioOutput),
        rate(config, "worker.price.transcription-per-minute", d.transcriptionPerMinute));
  }

  /** The cost in USD of one response's usage. */
  public double cost(Usage usage) {
    if (usage == null) {
      return 0;
    }
    var in = usage.inputTokenDetails();
    var out = usage.outputTokenDetails();
    double cost = 0;
    if (in != null) {
      var cached = in.cachedTokensDetails();
      int cachedText = cached == null ? 0 : cached.textTokens();
      int cachedAudio = cached == null ? 0 : cached.audioTokens();
      cost += Math.max(0, in.textTokens() - cachedText) * textInput + cachedText * cachedTextInput;
      cost +=
          Math.max(0, in.audioTokens() - cachedAudio) * audioInput + cachedAudio * cachedAudioInput;
    }
    if (out != null) {
      cost += out.textTokens() * textOutput + out.audioTokens() * audioOutput;
    }
    return cost / 1_000_000.0;
  }

  /** The cost in USD of input transcription billed by duration. */
  public double transcriptionCost(double seconds) {
    return seconds / 60.0 * transcriptionPerMinute;
  }

  /** The cost in USD of one input transcription, billed by tokens or by duration. */
  public double transcriptionCost(TranscriptionUsage usage) {
    if (usage == null) {
      return 0;
    }
    if (usage.seconds() != null) {
      return transcriptionCost(usage.seconds());
    }
    var in = usage.inputTokenDetails();
    int inputTokens = usage.inputTokens() == null ? 0 : usage.inputTokens();
    int audio = in == null ? inputTokens : in.audioTokens();
    int text = in == null ? 0 : in.textTokens();
    int output = usage.outputTokens() == null ? 0 : usage.outputTokens();
    return (text * textInput + audio * audioInput + output * textOutput) / 1_000_000.0;
  }

  private static double rate(ConfigSource config, String key, double defaultValue) {
    return config
        .get(key)
        .map(
            raw -> {
              try {
                return Double.parseDouble(raw);
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                    key + "='" + raw + "' is invalid: use a number of USD per 1M tokens");
              }
            })
        .orElse(defaultValue);
  }
}

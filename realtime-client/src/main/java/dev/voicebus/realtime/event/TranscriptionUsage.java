package dev.voicebus.realtime.event;

/**
 * Billing of one input transcription ({@code ...input_audio_transcription.completed.usage}): {@code
 * type} {@code tokens} (token fields set) or {@code duration} ({@code seconds} set). Flat so that a
 * new billing type never breaks parsing.
 */
public record TranscriptionUsage(
    String type,
    Integer inputTokens,
    InputTokenDetails inputTokenDetails,
    Integer outputTokens,
    Integer totalTokens,
    Double seconds) {

  /** Token-billed usage. */
  public static TranscriptionUsage tokens(int input, int audioInput, int output) {
    return new TranscriptionUsage(
        "tokens",
        input,
        new InputTokenDetails(input - audioInput, audioInput),
        output,
        input + output,
        null);
  }

  /** Duration-billed usage. */
  public static TranscriptionUsage duration(double seconds) {
    return new TranscriptionUsage("duration", null, null, null, null, seconds);
  }

  /** Input tokens of a transcription by modality. */
  public record InputTokenDetails(int textTokens, int audioTokens) {}
}

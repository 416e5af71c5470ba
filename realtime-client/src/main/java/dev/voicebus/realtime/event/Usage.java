package dev.voicebus.realtime.event;

/**
 * Token usage of one response ({@code response.done}), split by modality because audio, text, image
 * and cached input are priced differently. Cached tokens are a subset of input tokens.
 */
public record Usage(
    int totalTokens,
    int inputTokens,
    int outputTokens,
    InputTokenDetails inputTokenDetails,
    OutputTokenDetails outputTokenDetails) {

  /** Input tokens by modality, with the cached share. */
  public record InputTokenDetails(
      int cachedTokens,
      int textTokens,
      int imageTokens,
      int audioTokens,
      CachedTokenDetails cachedTokensDetails) {}

  /** Cached input tokens by modality. */
  public record CachedTokenDetails(int textTokens, int imageTokens, int audioTokens) {}

  /** Output tokens by modality. */
  public record OutputTokenDetails(int textTokens, int audioTokens) {}
}

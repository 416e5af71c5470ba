package dev.voicebus.realtime.sandbox.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Plausible token usage for a response, derived from sizes: text at 4 characters per token, input
 * audio at 10 tokens per second, output audio at 20 per second, and the previous response's input
 * counted as cached (in 64-token blocks), because the whole conversation is re-sent each turn.
 */
final class Usage {
  private Usage() {}

  /** Writes {@code usage} into {@code response}; returns the input token count. */
  static long write(
      ObjectNode response,
      SessionContext ctx,
      long outputTextChars,
      long outputAudioMs,
      long previousInput) {
    long inText = (ctx.settings.instructions().length() + ctx.conversation.textChars()) / 4 + 10;
    long inAudio = ctx.conversation.userAudioMs() / 100 + ctx.conversation.assistantAudioMs() / 50;
    long input = inText + inAudio;
    long cached = Math.min(input, previousInput) / 64 * 64;
    long cachedText = input == 0 ? 0 : cached * inText / input;
    long outText = (outputTextChars + 3) / 4;
    long outAudio = outputAudioMs / 50;
    ObjectNode usage = response.putObject("usage");
    usage.put("total_tokens", input + outText + outAudio);
    usage.put("input_tokens", input);
    usage.put("output_tokens", outText + outAudio);
    ObjectNode in = usage.putObject("input_token_details");
    in.put("text_tokens", inText);
    in.put("audio_tokens", inAudio);
    in.put("image_tokens", 0);
    in.put("cached_tokens", cached);
    ObjectNode cd = in.putObject("cached_tokens_details");
    cd.put("text_tokens", cachedText);
    cd.put("audio_tokens", cached - cachedText);
    cd.put("image_tokens", 0);
    ObjectNode out = usage.putObject("output_token_details");
    out.put("text_tokens", outText);
    out.put("audio_tokens", outAudio);
    return input;
  }
}

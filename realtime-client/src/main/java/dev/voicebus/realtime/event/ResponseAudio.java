package dev.voicebus.realtime.event;

import dev.voicebus.realtime.session.AudioFormat;
import dev.voicebus.realtime.session.Voice;

/** The {@code audio} block of a response or of {@code response.create}: output format and voice. */
public record ResponseAudio(Output output) {

  /** Output format and voice of one response. */
  public record Output(AudioFormat format, Voice voice) {}
}

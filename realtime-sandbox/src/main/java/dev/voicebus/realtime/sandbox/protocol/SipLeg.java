package dev.voicebus.realtime.sandbox.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The phone side of a session OpenAI answers on a SIP trunk: the agent's audio goes to the caller
 * over RTP, not over the sideband socket, so the socket gets {@code output_audio_buffer.started}
 * when a response's audio starts playing on the call, {@code .stopped} once it has played out (at
 * the sandbox's audio speed) and {@code .cleared} when a barge-in or {@code
 * output_audio_buffer.clear} cuts it off, as WebRTC and SIP sessions do. Counts finished responses
 * for the simulated caller. Confined to the session's event loop.
 */
final class SipLeg {
  private final double speed;
  private String playing;
  private long playStartedNanos;
  private ScheduledFuture<?> stopTimer;
  private long responsesFinished;

  /** {@code speed}: how many times faster than real time the phone plays (infinite: at once). */
  SipLeg(double speed) {
    this.speed = speed;
  }

  /** A response's audio starts playing on the call. */
  void started(SessionContext ctx, String responseId) {
    cancelStop();
    playing = responseId;
    playStartedNanos = System.nanoTime();
    ctx.emit(bufferEvent("output_audio_buffer.started", responseId));
  }

  /** A response ended ({@code audioMs} of audio, 0 for none); its audio plays out, then stops. */
  void finished(SessionContext ctx, String responseId, long audioMs) {
    responsesFinished++;
    if (!responseId.equals(playing)) {
      return;
    }
    long playMs = Double.isInfinite(speed) ? 0 : Math.round(audioMs / speed);
    long elapsedMs = (System.nanoTime() - playStartedNanos) / 1_000_000;
    stopTimer =
        ctx.sink
            .executor()
            .schedule(
                () -> {
                  if (responseId.equals(playing)) {
                    playing = null;
                    ctx.emit(bufferEvent("output_audio_buffer.stopped", responseId));
                  }
                },
                Math.max(0, playMs - elapsedMs),
                TimeUnit.MILLISECONDS);
  }

  /** Cuts off the audio playing now, if any ({@code output_audio_buffer.cleared}). */
  void clear(SessionContext ctx) {
    if (playing != null) {
      String id = playing;
      cancelStop();
      playing = null;
      ctx.emit(bufferEvent("output_audio_buffer.cleared", id));
    }
  }

  boolean playing() {
    return playing != null;
  }

  long responsesFinished() {
    return responsesFinished;
  }

  void close() {
    cancelStop();
    playing = null;
  }

  private void cancelStop() {
    if (stopTimer != null) {
      stopTimer.cancel(false);
      stopTimer = null;
    }
  }

  private static ObjectNode bufferEvent(String type, String responseId) {
    ObjectNode e = Events.event(type);
    e.put("response_id", responseId);
    return e;
  }
}

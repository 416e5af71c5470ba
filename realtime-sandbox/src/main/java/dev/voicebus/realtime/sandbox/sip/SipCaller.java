package dev.voicebus.realtime.sandbox.sip;

import dev.voicebus.realtime.sandbox.audio.AudioFormat;
import dev.voicebus.realtime.sandbox.audio.SpeechSynth;
import dev.voicebus.realtime.sandbox.protocol.RealtimeSession;
import dev.voicebus.realtime.sandbox.scenario.ScenarioTurn;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The person on the phone of a simulated SIP call. Their audio reaches the session over the phone
 * leg, so it is fed straight into the session's input (100 ms chunks, paced at the sandbox's audio
 * speed): silence, then, when the agent is done, the next caller line of the scenario as
 * speech-like audio, which the session's VAD turns into {@code speech_started/stopped}, a committed
 * turn, a transcription and a response as for any caller. A keypad turn is keyed in one key every
 * 300 ms ({@code input_audio_buffer.dtmf_event_received}). After the last turn is answered the
 * caller hangs up; if the agent does not answer within the patience, it hangs up too. Confined to
 * the call's event loop.
 */
final class SipCaller {
  private static final Logger LOG = LoggerFactory.getLogger(SipCaller.class);
  private static final int CHUNK_MS = 100;
  private static final int THINK_MS = 600;
  private static final int HANG_UP_MS = 1500;
  private static final int KEY_GAP_MS = 300;

  private enum Phase {
    WAITING_TO_START,
    THINKING,
    SPEAKING,
    KEYING,
    AWAITING_AGENT,
    HANGING_UP,
    DONE
  }

  private final SipCall call;
  private final RealtimeSession session;
  private final SipSettings settings;
  private final double speed;
  private final Map<AudioFormat, byte[]> silence = new EnumMap<>(AudioFormat.class);
  private ScheduledFuture<?> ticker;
  private Phase phase = Phase.WAITING_TO_START;
  private long phaseStartedNanos = System.nanoTime();
  private long audioMs;
  private long untilMs;
  private long speechSample;
  private String keys;
  private int keyIndex;
  private long responsesAtAct;
  private boolean attached;

  SipCaller(SipCall call, RealtimeSession session, SipSettings settings, double speed) {
    this.call = call;
    this.session = session;
    this.settings = settings;
    this.speed = speed;
  }

  void start() {
    long periodMs = Double.isInfinite(speed) ? 5 : Math.max(5, Math.round(CHUNK_MS / speed));
    ticker = call.loop().scheduleAtFixedRate(this::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  /** A sideband socket attached: the caller may start. */
  void attached() {
    attached = true;
  }

  void stop() {
    phase = Phase.DONE;
    if (ticker != null) {
      ticker.cancel(false);
    }
  }

  private void tick() {
    if (phase == Phase.DONE) {
      return;
    }
    AudioFormat format = session.inputFormat();
    int samples = format.sampleRate() / 1000 * CHUNK_MS;
    if (phase == Phase.SPEAKING) {
      session.callerAudio(SpeechSynth.speech(format, speechSample, samples));
      speechSample += samples;
    } else {
      session.callerAudio(silence.computeIfAbsent(format, f -> SpeechSynth.silenceMs(f, CHUNK_MS)));
    }
    audioMs += CHUNK_MS;
    decide();
  }

  private void decide() {
    switch (phase) {
      case WAITING_TO_START -> {
        if (attached || elapsedNanos() >= settings.callerStart().toNanos()) {
          think(THINK_MS);
        }
      }
      case THINKING -> {
        if (audioMs >= untilMs) {
          act();
        }
      }
      case SPEAKING -> {
        if (audioMs >= untilMs) {
          awaitAgent();
        }
      }
      case KEYING -> key();
      case AWAITING_AGENT -> {
        if (session.responsesFinished() > responsesAtAct && !session.agentBusy()) {
          think(THINK_MS);
        } else if (elapsedNanos() >= settings.callerPatience().toNanos()) {
          LOG.info("{}: the caller gave up waiting for the agent", call.callId());
          hangUp("the caller gave up waiting for the agent");
        }
      }
      case HANGING_UP -> {
        if (audioMs >= untilMs) {
          hangUp("the caller said goodbye");
        }
      }
      case DONE -> {}
    }
  }

  private void act() {
    if (session.scriptFinished()) {
      enter(Phase.HANGING_UP);
      untilMs = audioMs + HANG_UP_MS;
      return;
    }
    ScenarioTurn turn = session.upcomingTurn();
    if (turn.keypad() != null) {
      keys = turn.keypad().press();
      keyIndex = 0;
      enter(Phase.KEYING);
      untilMs = audioMs;
    } else if (turn.caller().isBlank()) {
      // A turn the agent opens: the caller only listens.
      awaitAgent();
    } else {
      enter(Phase.SPEAKING);
      untilMs = audioMs + SpeechSynth.durationMs(turn.caller());
    }
  }

  private void key() {
    if (audioMs < untilMs) {
      return;
    }
    session.keypad(keys.charAt(keyIndex++));
    untilMs = audioMs + KEY_GAP_MS;
    if (keyIndex == keys.length()) {
      awaitAgent();
    }
  }

  private void think(int ms) {
    enter(Phase.THINKING);
    untilMs = audioMs + ms;
  }

  private void awaitAgent() {
    enter(Phase.AWAITING_AGENT);
    responsesAtAct = session.responsesFinished();
  }

  private void hangUp(String why) {
    stop();
    call.callerHungUp(why);
  }

  private void enter(Phase next) {
    phase = next;
    phaseStartedNanos = System.nanoTime();
  }

  private long elapsedNanos() {
    return System.nanoTime() - phaseStartedNanos;
  }
}

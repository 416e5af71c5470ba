package dev.voicebus.ingest.playback;

import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.ClearPlayback;
import dev.voicebus.avro.Hangup;
import dev.voicebus.ingest.admin.IngestMetrics;
import dev.voicebus.ingest.audio.AudioFormats;
import dev.voicebus.ingest.call.CallChannel;
import dev.voicebus.ingest.config.IngestConfig;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays one call's agent audio in real time: re-chunks AgentAudio into 20 ms frames, sends them on
 * a monotonic schedule that stays at most {@code ingest.playback.lead} ahead of the caller's
 * playback, follows each chunk with a mark {@code <itemId>:<endOffsetMs>}, and turns mark echoes
 * into played offsets. A clear drops the queue; a hangup waits for queued audio (bounded by the
 * hangup grace). Confined to the call's event loop.
 */
public final class PlaybackPacer {

  private static final Logger log = LoggerFactory.getLogger(PlaybackPacer.class);
  private static final long MS = 1_000_000L;

  /** Told about played marks and about the moment to hang up. */
  public interface Listener {
    void played(String name, String itemId, long playedMs, boolean cleared);

    /**
     * The queued audio before {@code hangup} has played (or the hangup grace ran out): hang up, or
     * transfer when it names a target. Called once per Hangup.
     */
    void hangup(Hangup hangup);
  }

  private sealed interface Queued permits Frame, Mark, HangupAt {}

  private record Frame(byte[] bytes, String itemId, long startMs, long endMs, long durationNanos)
      implements Queued {}

  private record Mark(String name, String itemId, long endMs) implements Queued {}

  private record HangupAt(Hangup hangup) implements Queued {}

  private record SentMark(String itemId, long endMs, int clearEpoch) {}

  private final AudioCodec codec;
  private final EventLoop loop;
  private final CallChannel out;
  private final IngestMetrics metrics;
  private final Listener listener;
  private final LongSupplier clock;
  private final long leadNanos;
  private final long maxQueuedNanos;
  private final long hangupGraceNanos;
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private final Map<String, SentMark> sentMarks = new LinkedHashMap<>();
  private final Map<String, Long> heardAtClear = new HashMap<>();
  private long queuedNanos;
  private long playheadNanos;
  private int clearEpoch;
  private String lastItem;
  private long lastItemStartMs;
  private long lastSentEndMs;
  private ScheduledFuture<?> tick;
  private ScheduledFuture<?> hangupDeadline;
  private boolean stopped;

  public PlaybackPacer(
      AudioCodec codec,
      EventLoop loop,
      CallChannel out,
      IngestConfig.Audio settings,
      IngestMetrics metrics,
      Listener listener) {
    this(codec, loop, out, settings, metrics, listener, System::nanoTime);
  }

  /** With an explicit monotonic clock in nanoseconds, for deterministic tests. */
  PlaybackPacer(
      AudioCodec codec,
      EventLoop loop,
      CallChannel out,
      IngestConfig.Audio settings,
      IngestMetrics metrics,
      Listener listener,
      LongSupplier clock) {
    this.clock = clock;
    this.codec = codec;
    this.loop = loop;
    this.out = out;
    this.metrics = metrics;
    this.listener = listener;
    this.leadNanos = settings.playbackLead().toNanos();
    this.maxQueuedNanos = settings.maxQueuedPlayback().toNanos();
    this.hangupGraceNanos = settings.hangupGrace().toNanos();
  }

  public void onAgentAudio(AgentAudio audio) {
    if (!out.playsAudio()) {
      metrics.playbackDropped("no-playback");
      return;
    }
    if (audio.getCodec() != codec) {
      metrics.playbackDropped("codec-mismatch");
      log.warn(
          "Dropped agent audio {} in {} for a {} call", audio.getItemId(), audio.getCodec(), codec);
      return;
    }
    ByteBuffer payload = audio.getPayload().duplicate();
    int bytesPerMs = AudioFormats.bytesPerMs(codec);
    long totalNanos = payload.remaining() * MS / bytesPerMs;
    if (queuedNanos + totalNanos > maxQueuedNanos) {
      metrics.playbackDropped("queue-full");
      log.warn("Dropped agent audio {}: playback queue is full", audio.getItemId());
      return;
    }
    enqueueFrames(audio, payload, bytesPerMs);
    pump();
  }

  private void enqueueFrames(AgentAudio audio, ByteBuffer payload, int bytesPerMs) {
    String itemId = audio.getItemId();
    int frameBytes = AudioFormats.frameBytes(codec);
    long offsetMs = audio.getOffsetMs();
    while (payload.hasRemaining()) {
      byte[] frame = new byte[Math.min(frameBytes, payload.remaining())];
      payload.get(frame);
      long durationNanos = frame.length * MS / bytesPerMs;
      long endMs = offsetMs + frame.length / bytesPerMs;
      queue.add(new Frame(frame, itemId, offsetMs, endMs, durationNanos));
      queuedNanos += durationNanos;
      offsetMs = endMs;
    }
    queue.add(new Mark(itemId + ":" + offsetMs, itemId, offsetMs));
  }

  public void onClear(ClearPlayback clear) {
    queue.removeIf(q -> q instanceof Frame || q instanceof Mark);
    queuedNanos = 0;
    long now = clock.getAsLong();
    long bufferedMs = Math.max(0, playheadNanos - now) / MS;
    playheadNanos = now;
    clearEpoch++;
    out.writeClear();
    out.flush();
    if (lastItem != null) {
      long heard = Math.max(lastItemStartMs, lastSentEndMs - bufferedMs);
      heardAtClear.put(lastItem, heard);
      listener.played("clear:" + lastItem, lastItem, heard, true);
      lastItem = null;
    }
  }

  public void onHangup(Hangup hangup) {
    HangupAt at = new HangupAt(hangup);
    queue.add(at);
    if (hangupDeadline == null) {
      hangupDeadline =
          loop.schedule(() -> onHangupGrace(at), hangupGraceNanos, TimeUnit.NANOSECONDS);
    }
    pump();
  }

  /** The grace ran out before the audio queued ahead of {@code at} played. */
  private void onHangupGrace(HangupAt at) {
    hangupDeadline = null;
    if (!stopped && queue.remove(at)) {
      listener.hangup(at.hangup());
    }
  }

  /** The caller side echoed {@code name}: publish how far the item has played. */
  public void onMarkEcho(String name) {
    SentMark mark = sentMarks.remove(name);
    if (mark == null) {
      metrics.error("unknown-mark");
      log.debug("Ignored echo of unknown mark {}", name);
      return;
    }
    if (mark.clearEpoch() < clearEpoch) {
      long heard = heardAtClear.getOrDefault(mark.itemId(), mark.endMs());
      listener.played(name, mark.itemId(), Math.min(heard, mark.endMs()), heard < mark.endMs());
    } else {
      listener.played(name, mark.itemId(), mark.endMs(), false);
    }
  }

  private void onTick() {
    tick = null;
    pump();
  }

  private void pump() {
    if (stopped) {
      return;
    }
    long now = clock.getAsLong();
    if (playheadNanos < now) {
      playheadNanos = now;
    }
    boolean wrote = false;
    while (!queue.isEmpty()) {
      Queued head = queue.peek();
      if (head instanceof Frame frame) {
        if (playheadNanos - now >= leadNanos) {
          break;
        }
        queue.poll();
        send(frame);
        wrote = true;
      } else if (head instanceof Mark mark) {
        queue.poll();
        sentMarks.put(mark.name(), new SentMark(mark.itemId(), mark.endMs(), clearEpoch));
        out.writeMark(mark.name());
        wrote = true;
      } else if (head instanceof HangupAt hangup) {
        if (playheadNanos > now) {
          break;
        }
        queue.poll();
        flushIf(wrote);
        wrote = false;
        if (hangupDeadline != null) {
          hangupDeadline.cancel(false);
          hangupDeadline = null;
        }
        // A transfer the carrier refused goes on playing what comes after it.
        listener.hangup(hangup.hangup());
        if (stopped) {
          return;
        }
      }
    }
    flushIf(wrote);
    scheduleNext(now);
  }

  private void send(Frame frame) {
    if (!frame.itemId().equals(lastItem)) {
      lastItem = frame.itemId();
      lastItemStartMs = frame.startMs();
    }
    lastSentEndMs = frame.endMs();
    out.writeAudio(frame.bytes());
    metrics.playbackFrame();
    playheadNanos += frame.durationNanos();
    queuedNanos -= frame.durationNanos();
  }

  private void flushIf(boolean wrote) {
    if (wrote) {
      out.flush();
    }
  }

  private void scheduleNext(long now) {
    if (queue.isEmpty() || tick != null) {
      return;
    }
    long delay =
        queue.peek() instanceof HangupAt ? playheadNanos - now : playheadNanos - leadNanos - now;
    tick = loop.schedule(this::onTick, Math.max(MS, delay), TimeUnit.NANOSECONDS);
  }

  /** Stops playback for good (the call ended). */
  public void stop() {
    stopped = true;
    queue.clear();
    if (tick != null) {
      tick.cancel(false);
    }
    if (hangupDeadline != null) {
      hangupDeadline.cancel(false);
    }
  }
}

package dev.voicebus.ingest.server;

import dev.voicebus.ingest.admin.IngestMetrics;
import dev.voicebus.ingest.call.CallSession;
import dev.voicebus.ingest.call.InboundBudget.Pause;
import io.netty.channel.Channel;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a call's {@link dev.voicebus.ingest.call.InboundBudget} on its connection: after each
 * inbound message, stops reading ({@code autoRead=false}, so TCP pushes back on the sender) while
 * the call is ahead of its audio rate or over its share of the publish queue, and resumes once it
 * is within both. Nothing the call sent is dropped. Confined to the call's event loop.
 */
public final class ReadThrottle {

  private static final Logger log = LoggerFactory.getLogger(ReadThrottle.class);

  private final Channel channel;
  private final CallSession session;
  private final IngestMetrics metrics;
  private boolean paused;

  public ReadThrottle(Channel channel, CallSession session, IngestMetrics metrics) {
    this.channel = channel;
    this.session = session;
    this.metrics = metrics;
  }

  /** Call after handling each inbound message of the call. */
  public void afterRead() {
    if (paused || session.state() != CallSession.State.LIVE) {
      return;
    }
    Pause pause = session.readPause();
    if (pause.needed()) {
      paused = true;
      channel.config().setAutoRead(false);
      metrics.readPaused(pause.cause().name().toLowerCase(Locale.ROOT));
      log.debug(
          "Call {} paused reading ({}) for {} ms",
          session.callId(),
          pause.cause(),
          pause.nanos() / 1_000_000);
      schedule(pause);
    }
  }

  /** Whether reading is paused by this throttle (a quiet socket is then not idle). */
  public boolean paused() {
    return paused;
  }

  private void schedule(Pause pause) {
    channel.eventLoop().schedule(this::recheck, pause.nanos(), TimeUnit.NANOSECONDS);
  }

  private void recheck() {
    if (!channel.isActive() || session.state() != CallSession.State.LIVE) {
      paused = false;
      return;
    }
    Pause pause = session.readPause();
    if (pause.needed()) {
      schedule(pause);
    } else {
      paused = false;
      channel.config().setAutoRead(true);
    }
  }
}

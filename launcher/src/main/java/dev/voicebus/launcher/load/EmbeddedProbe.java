package dev.voicebus.launcher.load;

import dev.voicebus.launcher.local.LocalStack;
import dev.voicebus.realtime.sandbox.protocol.SessionRecord;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * Reads the embedded deployment's own meters: the worker's audio-in latency and tool overhead
 * HdrHistogram recorders, the ingest node's agent-audio delivery recorder, and the sandbox's
 * per-session audio records.
 */
public final class EmbeddedProbe implements LoadProbe {

  private final LocalStack stack;
  private final Histogram outbound = new Histogram(3);
  private final Histogram inbound = new Histogram(3);
  private final Histogram tool = new Histogram(3);

  private EmbeddedProbe(LocalStack stack) {
    this.stack = stack;
  }

  /** Probes the embedded deployment {@code stack}. */
  public static EmbeddedProbe of(LocalStack stack) {
    return new EmbeddedProbe(stack);
  }

  @Override
  public String target() {
    return "Voicebus (embedded: Kafka, ingest, worker, tool executor, sandbox)";
  }

  @Override
  public synchronized void reset() {
    stack.ingestMetrics().playbackLatencyRecorder().getIntervalHistogram();
    stack.workerMetrics().inboundLatencyRecorder().getIntervalHistogram();
    outbound.reset();
    inbound.reset();
  }

  @Override
  public long agentChunks() {
    Timer timer = stack.ingestMetrics().registry().find("voicebus.ingest.playback.latency").timer();
    return timer == null ? 0 : timer.count();
  }

  @Override
  public synchronized LatencyStats inbound() {
    inbound.add(stack.workerMetrics().inboundLatencyRecorder().getIntervalHistogram());
    return LatencyStats.ofNanos(inbound);
  }

  @Override
  public synchronized LatencyStats outbound() {
    outbound.add(stack.ingestMetrics().playbackLatencyRecorder().getIntervalHistogram());
    return LatencyStats.ofNanos(outbound);
  }

  @Override
  public synchronized LatencyStats toolOverhead() {
    tool.add(stack.workerMetrics().toolOverheadRecorder().getIntervalHistogram());
    return LatencyStats.ofNanos(tool);
  }

  @Override
  public Optional<List<SessionRecord>> realtimeSessions() {
    return stack.sandbox().map(s -> s.sessions());
  }
}

package dev.voicebus.ingest.admin;

import dev.voicebus.observability.metrics.LatencyTimers;
import dev.voicebus.observability.metrics.ServiceMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Recorder;

/**
 * The ingest node's meters (Prometheus names {@code voicebus_ingest_*}): calls by source and end
 * reason, frames and bytes in, records published, publish and playback latency (histograms with the
 * shared {@link LatencyTimers} buckets), playback and errors by kind. Also keeps an HdrHistogram
 * {@link Recorder} of publish latency for the benchmark.
 */
public final class IngestMetrics {

  private final PrometheusMeterRegistry registry = ServiceMeters.registry("voicebus-ingest");
  private final Timer publishLatency;
  private final Recorder publishLatencyNanos = new Recorder(3);
  private final Timer playbackLatency;
  private final Recorder playbackLatencyNanos = new Recorder(3);
  private final Counter framesIn;
  private final Counter bytesIn;
  private final Counter recordsPublished;
  private final Counter playbackFrames;

  public IngestMetrics() {
    publishLatency =
        LatencyTimers.builder("voicebus.ingest.publish.latency")
            .description("Time from send to broker acknowledgement (acks=all)")
            .register(registry);
    playbackLatency =
        LatencyTimers.builder("voicebus.ingest.playback.latency")
            .description(
                "audio.out record timestamp (worker got the audio) to handed to the caller's playback pacer")
            .register(registry);
    framesIn = registry.counter("voicebus.ingest.frames.in");
    bytesIn =
        Counter.builder("voicebus.ingest.audio.in")
            .baseUnit(BaseUnits.BYTES)
            .description("Caller audio received")
            .register(registry);
    recordsPublished = registry.counter("voicebus.ingest.records.published");
    playbackFrames = registry.counter("voicebus.ingest.playback.frames");
  }

  public MeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    return registry.scrape();
  }

  public void gauge(String name, Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(name, value).register(registry);
  }

  public void callStarted(String source) {
    registry.counter("voicebus.ingest.calls.started", "source", source).increment();
  }

  public void callEnded(String reason) {
    registry.counter("voicebus.ingest.calls.ended", "reason", reason).increment();
  }

  public void frameIn(int bytes) {
    framesIn.increment();
    bytesIn.increment(bytes);
  }

  public void published(long nanos) {
    recordsPublished.increment();
    publishLatency.record(nanos, TimeUnit.NANOSECONDS);
    publishLatencyNanos.recordValue(Math.max(0, nanos));
  }

  /** Agent audio handed to the caller's socket {@code millis} after the worker published it. */
  public void agentAudioDelivered(long millis) {
    playbackLatency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    playbackLatencyNanos.recordValue(Math.max(0, millis) * 1_000_000L);
  }

  /** What became of one OpenAI webhook request ({@code accepted}, {@code duplicate}, ...). */
  public void webhook(String outcome) {
    registry.counter("voicebus.ingest.openai.webhooks", "outcome", outcome).increment();
  }

  /** A SIP call rejected through OpenAI's calls API, by why ({@code no-route}, ...). */
  public void sipRejected(String reason) {
    registry.counter("voicebus.ingest.sip.calls.rejected", "reason", reason).increment();
  }

  public void error(String kind) {
    registry.counter("voicebus.ingest.errors", "kind", kind).increment();
  }

  /** A connection was closed on accept because it was over {@code limit}. */
  public void connectionRefused(String limit) {
    registry.counter("voicebus.ingest.connections.refused", "limit", limit).increment();
  }

  /** A call's connection stopped reading for a while ({@code rate} or {@code backlog}). */
  public void readPaused(String cause) {
    registry.counter("voicebus.ingest.reads.paused", "cause", cause).increment();
  }

  public void playbackFrame() {
    playbackFrames.increment();
  }

  public void playbackDropped(String reason) {
    registry.counter("voicebus.ingest.playback.dropped", "reason", reason).increment();
  }

  /** Total 20 ms (or client-sized) audio frames received so far. */
  public double framesIn() {
    return framesIn.count();
  }

  /** Interval histogram of agent-audio delivery latency in nanoseconds (ms resolution). */
  public Recorder playbackLatencyRecorder() {
    return playbackLatencyNanos;
  }

  /** Interval histogram of publish latency in nanoseconds (resets on each call). */
  public Recorder publishLatencyRecorder() {
    return publishLatencyNanos;
  }
}

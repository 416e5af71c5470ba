package dev.voicebus.recorder.loop;

import dev.voicebus.avro.SessionEvent;
import dev.voicebus.recorder.call.CallInfo;
import dev.voicebus.recorder.call.CallRecording;
import dev.voicebus.recorder.call.FinishReason;
import dev.voicebus.recorder.call.Rendered;
import dev.voicebus.recorder.call.Renderer;
import dev.voicebus.recorder.call.Sidecar;
import dev.voicebus.recorder.storage.RecordingKey;
import dev.voicebus.recorder.storage.RecordingStore;
import dev.voicebus.schemas.log.CallMdc;
import dev.voicebus.schemas.supervision.Backoff;
import dev.voicebus.schemas.topic.Topics;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes recordings off the consumer thread: renders a call into the outbox ({@code
 * <work-dir>/outbox}), stores it, publishes {@code RECORDING_READY}, and only then deletes the
 * local files and reports the call done (so its offsets may be committed). A store or publish that
 * fails is retried with jittered exponential backoff for as long as the recorder runs; the rendered
 * files stay in the outbox until stored, and a recorder that starts stores what an earlier run left
 * there. Thread-safe.
 */
public final class Finaliser {

  private static final Logger log = LoggerFactory.getLogger(Finaliser.class);

  /** Where the pieces go and how retries are paced. */
  public record Settings(
      String sessionEventsTopic, Path outbox, Duration initialBackoff, Duration maxBackoff) {}

  private final RecordingStore store;
  private final Producer<byte[], byte[]> producer;
  private final Settings settings;
  private final ScheduledExecutorService pool;
  private final RecorderMetrics metrics;
  private final Clock clock;

  public Finaliser(
      RecordingStore store,
      Producer<byte[], byte[]> producer,
      Settings settings,
      ScheduledExecutorService pool,
      RecorderMetrics metrics,
      Clock clock) {
    this.store = store;
    this.producer = producer;
    this.settings = settings;
    this.pool = pool;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Renders, stores and announces {@code call}, then deletes its working files and calls {@code
   * done} with the call id (on a pool thread). A call that cannot be rendered (its local files are
   * unreadable) is logged and reported done, since retrying would not help.
   */
  public void finish(CallRecording call, FinishReason reason, Consumer<String> done) {
    String callId = call.info().callId();
    metrics.pendingUploads().incrementAndGet();
    submit(
        () -> {
          try (var mdc = CallMdc.open(callId, call.info().tenantId())) {
            Rendered rendered;
            try {
              rendered =
                  Renderer.render(call, settings.outbox(), RecordingKey.safe(callId), reason);
            } catch (IOException | RuntimeException e) {
              log.error("Could not render the recording of call {}; it is lost", callId, e);
              metrics.recording("dropped");
              metrics.pendingUploads().decrementAndGet();
              done.accept(callId);
              return;
            } finally {
              closeQuietly(call);
            }
            log.info(
                "Rendered the recording of call {} ({} ms, {} ms paused, {})",
                callId,
                rendered.sidecar().durationMs(),
                rendered.sidecar().pausedMs(),
                reason);
            store(rendered, newBackoff(), clock.instant(), done);
          }
        });
  }

  /** Announces a SIP call's recording as the carrier's; {@code done} once published. */
  public void carrier(CallInfo info, long durationMs, Consumer<String> done) {
    publish(
        info.callId(),
        ReadyEvents.carrier(info, durationMs, clock.instant()),
        newBackoff(),
        () -> {
          metrics.recording("carrier");
          done.accept(info.callId());
        });
  }

  /** Stores what an earlier run rendered but did not store (at start-up). */
  public int resumeOutbox() throws IOException {
    if (!Files.isDirectory(settings.outbox())) {
      return 0;
    }
    int resumed = 0;
    try (DirectoryStream<Path> sidecars = Files.newDirectoryStream(settings.outbox(), "*.json")) {
      for (Path json : sidecars) {
        String name = json.getFileName().toString();
        Path wav = json.resolveSibling(name.substring(0, name.length() - 5) + ".wav");
        if (!Files.exists(wav)) {
          continue;
        }
        Sidecar sidecar;
        try {
          sidecar = Sidecar.read(json);
        } catch (IOException e) {
          log.warn("Outbox file {} is unreadable; left in place", json, e);
          continue;
        }
        metrics.pendingUploads().incrementAndGet();
        log.info("Storing the recording of call {} left in the outbox", sidecar.callId());
        Rendered rendered = new Rendered(wav, json, sidecar);
        submit(() -> store(rendered, newBackoff(), clock.instant(), id -> {}));
        resumed++;
      }
    }
    return resumed;
  }

  private void store(Rendered rendered, Backoff backoff, Instant started, Consumer<String> done) {
    Sidecar sidecar = rendered.sidecar();
    RecordingKey key =
        new RecordingKey(sidecar.tenantId(), Instant.parse(sidecar.startedAt()), sidecar.callId());
    URI location;
    try {
      location = store.store(key, rendered.wav(), rendered.json());
    } catch (IOException | RuntimeException e) {
      metrics.storeFailed();
      Duration delay = backoff.next();
      log.warn(
          "Storing the recording of call {} in {} failed ({}); retrying in {} ms, the files stay in"
              + " {}",
          sidecar.callId(),
          store.describe(),
          e.getMessage(),
          delay.toMillis(),
          settings.outbox());
      schedule(() -> store(rendered, backoff, started, done), delay);
      return;
    }
    long bytes = size(rendered.wav()) + size(rendered.json());
    metrics.stored(Duration.between(started, clock.instant()), bytes);
    log.info("Stored the recording of call {} at {}", sidecar.callId(), location);
    SessionEvent event = ReadyEvents.stored(sidecar, location, clock.instant());
    publish(
        sidecar.callId(),
        event,
        newBackoff(),
        () -> {
          deleteQuietly(rendered.wav());
          deleteQuietly(rendered.json());
          metrics.pendingUploads().decrementAndGet();
          metrics.recording("stored");
          done.accept(sidecar.callId());
        });
  }

  private void publish(String callId, SessionEvent event, Backoff backoff, Runnable acknowledged) {
    String topic = settings.sessionEventsTopic();
    byte[] value = Topics.SESSION_EVENTS.valueSerde().serializer().serialize(topic, event);
    var record = new ProducerRecord<>(topic, callId.getBytes(StandardCharsets.UTF_8), value);
    try {
      producer.send(
          record,
          (metadata, error) -> {
            if (error == null) {
              acknowledged.run();
              return;
            }
            Duration delay = backoff.next();
            log.warn(
                "Publishing RECORDING_READY of call {} failed ({}); retrying in {} ms",
                callId,
                error.toString(),
                delay.toMillis());
            schedule(() -> publish(callId, event, backoff, acknowledged), delay);
          });
    } catch (RuntimeException e) {
      Duration delay = backoff.next();
      log.warn("Publishing RECORDING_READY of call {} failed ({})", callId, e.toString());
      schedule(() -> publish(callId, event, backoff, acknowledged), delay);
    }
  }

  private Backoff newBackoff() {
    return new Backoff(settings.initialBackoff(), settings.maxBackoff());
  }

  private void submit(Runnable task) {
    try {
      pool.execute(task);
    } catch (RejectedExecutionException e) {
      log.info("Recorder stopping: a recording stays in {} for the next start", settings.outbox());
    }
  }

  private void schedule(Runnable task, Duration delay) {
    try {
      pool.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.info("Recorder stopping: a recording stays in {} for the next start", settings.outbox());
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("Could not delete {}", file, e);
    }
  }

  private static void closeQuietly(CallRecording call) {
    try {
      call.close();
    } catch (IOException e) {
      log.warn("Could not delete the working files of call {}", call.info().callId(), e);
    }
  }
}

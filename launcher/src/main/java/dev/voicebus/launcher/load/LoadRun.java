package dev.voicebus.launcher.load;

import com.sun.management.OperatingSystemMXBean;
import dev.voicebus.simulator.ReceivedFrame;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.TwilioCallSimulator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Drives one load run: N simulated Twilio callers connect (spread over the ramp-up), each streams
 * its looped script in real time for the duration from one pacing thread, progress is printed every
 * second, then the report is assembled from the callers, the probe and this JVM's CPU and heap.
 */
public final class LoadRun {

  private static final long BURST_GAP_NANOS = 400_000_000L;

  private final URI url;
  private final String twilioToken;
  private final String profile;
  private final LoadSettings settings;
  private final LoadProbe probe;
  private final Consumer<String> progress;
  private final CallerScript script = CallerScript.bundled();
  private final List<LoadCaller> callers = new CopyOnWriteArrayList<>();
  private final AtomicInteger connectFailures = new AtomicInteger();
  private final long framesPerCall;

  public LoadRun(
      URI url,
      String twilioToken,
      String profile,
      LoadSettings settings,
      LoadProbe probe,
      Consumer<String> progress) {
    this.url = url;
    this.twilioToken = twilioToken;
    this.profile = profile;
    this.settings = settings;
    this.probe = probe;
    this.progress = progress;
    this.framesPerCall =
        (settings.rampUp().toMillis()
                + settings.warmUp().toMillis()
                + settings.duration().toMillis())
            / 20;
  }

  /**
   * Runs the load and returns its report; fails with one clear message if ingest is unreachable.
   */
  public LoadReport run() throws Exception {
    long heapIdle = usedHeapAfterGc();
    probe.reset();
    ScheduledExecutorService pacer =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "voicebus-load-pacer"));
    try (var simulator = new TwilioCallSimulator(SimulatorOptions.of(url, twilioToken), 2)) {
      long[] window = {processCpuNanos(), System.nanoTime()};
      callers.add(new LoadCaller(connectFirst(simulator), script.startFrame(0)));
      pacer.scheduleAtFixedRate(this::tick, 0, 20, TimeUnit.MILLISECONDS);
      scheduleConnects(simulator, pacer);
      long warm = settings.rampUp().plus(settings.warmUp()).toNanos();
      if (warm > 0) {
        // Measure only once every call streams and the JIT has settled.
        pacer.schedule(
            () -> {
              probe.reset();
              window[0] = processCpuNanos();
              window[1] = System.nanoTime();
              progress.accept("  (warm-up over: measuring from now)");
            },
            warm,
            TimeUnit.NANOSECONDS);
      }
      awaitStreamingDone();
      double cores = (processCpuNanos() - window[0]) / (double) (System.nanoTime() - window[1]);
      pacer.shutdownNow();
      pacer.awaitTermination(5, TimeUnit.SECONDS);
      awaitDrained();
      long heapLoaded = usedHeapAfterGc();
      LoadReport report = report(cores, heapIdle, heapLoaded);
      hangUp();
      return report;
    } finally {
      pacer.shutdownNow();
    }
  }

  private SimulatedCall connectFirst(TwilioCallSimulator simulator) throws IOException {
    try {
      return simulator.call(Map.of("agentProfile", profile)).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException("cannot reach ingest at " + url + ": " + cause.getMessage(), e);
    } catch (TimeoutException e) {
      throw new IOException("ingest at " + url + " did not answer within 10 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to " + url, e);
    }
  }

  private void scheduleConnects(TwilioCallSimulator simulator, ScheduledExecutorService pacer) {
    long rampNanos = settings.rampUp().toNanos();
    for (int i = 1; i < settings.calls(); i++) {
      int index = i;
      long delay = rampNanos * i / settings.calls();
      pacer.schedule(() -> connect(simulator, index), delay, TimeUnit.NANOSECONDS);
    }
  }

  private void connect(TwilioCallSimulator simulator, int index) {
    simulator
        .call(Map.of("agentProfile", profile))
        .orTimeout(30, TimeUnit.SECONDS)
        .whenComplete(
            (call, error) -> {
              if (error != null) {
                connectFailures.incrementAndGet();
              } else {
                callers.add(new LoadCaller(call, script.startFrame(index)));
              }
            });
  }

  private void tick() {
    for (LoadCaller caller : callers) {
      if (caller.framesSent() < framesPerCall) {
        caller.sendNext(script);
      }
    }
  }

  private boolean streamingDone() {
    if (callers.size() + connectFailures.get() < settings.calls()) {
      return false;
    }
    return callers.stream().allMatch(c -> c.framesSent() >= framesPerCall || !c.live());
  }

  private void awaitStreamingDone() throws InterruptedException {
    long start = System.nanoTime();
    long deadline =
        start
            + settings.rampUp().toNanos()
            + settings.warmUp().toNanos()
            + settings.duration().toNanos()
            + 60_000_000_000L;
    long nextReport = start + 1_000_000_000L;
    while (!streamingDone() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      if (System.nanoTime() >= nextReport) {
        printProgress((nextReport - start) / 1_000_000_000L);
        nextReport += 1_000_000_000L;
      }
    }
  }

  private void printProgress(long second) {
    long live = callers.stream().filter(LoadCaller::live).count();
    long frames = callers.stream().mapToLong(LoadCaller::framesSent).sum();
    long chunks = probe.agentChunks();
    progress.accept(
        String.format(
            Locale.ROOT,
            "  %3d s: %d/%d calls live, %d frames sent, agent audio chunks %s, errors %d",
            second,
            live,
            settings.calls(),
            frames,
            chunks < 0 ? "n/a" : String.valueOf(chunks),
            failed()));
  }

  private int failed() {
    int dropped =
        (int) callers.stream().filter(c -> !c.live() && c.framesSent() < framesPerCall).count();
    return connectFailures.get() + dropped;
  }

  /** Waits until the Realtime side has all the audio sent (or it stops growing). */
  private void awaitDrained() throws InterruptedException {
    long sent = callers.stream().mapToLong(LoadCaller::bytesSent).sum();
    long deadline = System.nanoTime() + 15_000_000_000L;
    long last = -1;
    int stable = 0;
    while (System.nanoTime() < deadline && stable < 20) {
      Thread.sleep(100);
      long received =
          probe
              .realtimeSessions()
              .map(s -> s.stream().mapToLong(r -> r.audioBytesReceived()).sum())
              .orElse(-1L);
      if (received == sent) {
        break;
      }
      stable = received == last ? stable + 1 : 0;
      last = received;
    }
  }

  private LoadReport report(double cores, long heapIdle, long heapLoaded) {
    long agentFrames = 0;
    long responses = 0;
    for (LoadCaller caller : callers) {
      List<ReceivedFrame> frames = caller.call().receivedFrames();
      agentFrames += frames.size();
      responses += bursts(frames);
    }
    LatencyStats tool = probe.toolOverhead();
    int connected = callers.size();
    return new LoadReport(
        probe.target(),
        settings,
        connected,
        failed(),
        callers.stream().mapToLong(LoadCaller::framesSent).sum(),
        agentFrames,
        responses,
        tool.available() ? tool.count() : -1,
        probe.inbound(),
        probe.outbound(),
        tool,
        probe.realtimeSessions().map(s -> AudioIntegrity.compare(callers, s)),
        cores,
        heapIdle >> 20,
        heapLoaded >> 20,
        Math.max(0, heapLoaded - heapIdle) / 1024.0 / Math.max(1, connected));
  }

  private static long bursts(List<ReceivedFrame> frames) {
    long count = 0;
    long previous = Long.MIN_VALUE;
    for (ReceivedFrame frame : frames) {
      if (previous == Long.MIN_VALUE || frame.arrivedNanos() - previous > BURST_GAP_NANOS) {
        count++;
      }
      previous = frame.arrivedNanos();
    }
    return count;
  }

  private void hangUp() {
    for (LoadCaller caller : callers) {
      caller.call().sendStop();
    }
    CompletableFuture<?>[] closed =
        callers.stream().map(c -> c.call().closed()).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(closed).get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      progress.accept("  (some calls did not close within 15 s after stop)");
    }
  }

  static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long processCpuNanos() {
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return os.getProcessCpuTime();
  }
}

package dev.voicebus.realtime.sandbox.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import dev.voicebus.realtime.client.ApiKey;
import dev.voicebus.realtime.client.RealtimeClient;
import dev.voicebus.realtime.client.RealtimeClientConfig;
import dev.voicebus.realtime.client.RealtimeConnection;
import dev.voicebus.realtime.client.RealtimeListener;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.realtime.sandbox.CallerAudio;
import dev.voicebus.realtime.sandbox.audio.AudioFormat;
import dev.voicebus.realtime.session.SessionConfig;
import dev.voicebus.realtime.session.TurnDetection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load benchmark for the sandbox: starts it in a child JVM (so its heap is measured alone), opens N
 * sessions with the project's Realtime client, streams 20 ms pcmu frames to each in real time for D
 * seconds with a 4-second cycle of 1.5 s speech and 2.5 s silence (so the VAD commits and the
 * sandbox responds), then reports sessions sustained, errors, sandbox heap per session after GC and
 * CPU.
 *
 * <p>Run: {@code ./mvnw -q -pl realtime-sandbox -am test-compile} then {@code ./mvnw -q -pl
 * realtime-sandbox exec:exec -Dbench.sessions=1000 -Dbench.seconds=60}.
 */
public final class SandboxLoadBenchmark {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int FRAME_MS = 20;

  private final int sessions;
  private final int seconds;
  private final AtomicLong framesSent = new AtomicLong();
  private final AtomicLong responsesDone = new AtomicLong();
  private final AtomicLong audioDeltas = new AtomicLong();
  private final AtomicLong errorEvents = new AtomicLong();
  private final AtomicLong unexpectedCloses = new AtomicLong();
  private final AtomicLong maxTickLagMs = new AtomicLong();
  private final AtomicLong lagSumMs = new AtomicLong();
  private final AtomicLong lagTicks = new AtomicLong();

  private SandboxLoadBenchmark(int sessions, int seconds) {
    this.sessions = sessions;
    this.seconds = seconds;
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int d = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    new SandboxLoadBenchmark(n, d).run();
    System.exit(0);
  }

  private void run() throws Exception {
    System.out.println("load average before: " + loadAverage());
    Process server = startServer();
    BlockingQueue<String> serverOut = drain(server);
    Writer serverIn = new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8);
    String[] hello = readLineStartingWith(serverOut, "PORT ").split(" ");
    URI base = URI.create("ws://127.0.0.1:" + hello[1] + "/v1");
    JsonNode idle = stats(serverIn, serverOut);
    try (RealtimeClient client =
        new RealtimeClient(
            RealtimeClientConfig.defaults(ApiKey.of("sk-bench")).withBaseUri(base))) {
      List<RealtimeConnection> open = connectAll(client);
      long connectFailures = sessions - open.size();
      JsonNode before = stats(serverIn, serverOut);
      long clientCpu0 = clientCpuNanos();
      stream(open);
      JsonNode after = stats(serverIn, serverOut);
      long clientCpu = clientCpuNanos() - clientCpu0;
      long sustained = open.stream().filter(RealtimeConnection::isOpen).count();
      report(idle, before, after, connectFailures, sustained, clientCpu);
      System.out.println("load average after: " + loadAverage());
      CompletableFuture.allOf(open.stream().map(c -> c.close()).toArray(CompletableFuture[]::new))
          .get(60, TimeUnit.SECONDS);
    } finally {
      serverIn.write("quit\n");
      serverIn.flush();
      server.waitFor(20, TimeUnit.SECONDS);
      server.destroy();
    }
  }

  private Process startServer() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        List.of(
            java,
            "-Xms1g",
            "-Xmx2g",
            "-cp",
            System.getProperty("java.class.path"),
            SandboxServerProcess.class.getName());
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /**
   * Reads the child's stdout continuously (its log lines go there too), so a full pipe can never
   * block the sandbox's event loops; protocol lines are queued, log lines echoed to stderr.
   */
  private static BlockingQueue<String> drain(Process server) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  if (line.startsWith("PORT ") || line.startsWith("{")) {
                    lines.add(line);
                  } else if (line.contains("WARN") || line.contains("ERROR")) {
                    System.err.println("[sandbox] " + line);
                  }
                }
              } catch (IOException e) {
                System.err.println("sandbox output closed: " + e);
              }
            },
            "sandbox-stdout");
    t.setDaemon(true);
    t.start();
    return lines;
  }

  private static JsonNode stats(Writer in, BlockingQueue<String> out) throws Exception {
    in.write("stats\n");
    in.flush();
    return MAPPER.readTree(readLineStartingWith(out, "{"));
  }

  private static String readLineStartingWith(BlockingQueue<String> out, String prefix)
      throws Exception {
    for (String line = out.poll(120, TimeUnit.SECONDS);
        line != null;
        line = out.poll(120, TimeUnit.SECONDS)) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new IllegalStateException("sandbox process printed no '" + prefix + "' line in 120 s");
  }

  private List<RealtimeConnection> connectAll(RealtimeClient client) throws Exception {
    SessionConfig config =
        SessionConfig.realtime()
            .withInstructions("Load test. [scenario:short]")
            .withAudioFormat(dev.voicebus.realtime.session.AudioFormat.PCMU)
            .withTurnDetection(new TurnDetection.ServerVad(0.5, 300, 500, true, true, null))
            .build();
    List<RealtimeConnection> open = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int batch = 0; batch < sessions; batch += 100) {
      List<CompletableFuture<RealtimeConnection>> pending = new ArrayList<>();
      for (int i = batch; i < Math.min(sessions, batch + 100); i++) {
        pending.add(client.connect("gpt-realtime", listener()));
      }
      for (CompletableFuture<RealtimeConnection> f : pending) {
        try {
          RealtimeConnection c = f.get(30, TimeUnit.SECONDS);
          c.send(new ClientEvent.SessionUpdate(config));
          open.add(c);
        } catch (Exception e) {
          System.err.println("connect failed: " + e);
        }
      }
    }
    System.out.printf(
        "connected %d/%d sessions in %d ms%n",
        open.size(), sessions, (System.nanoTime() - t0) / 1_000_000);
    return open;
  }

  private RealtimeListener listener() {
    return new RealtimeListener() {
      @Override
      public void onEvent(ServerEvent event) {
        if (event instanceof ServerEvent.ResponseDone) {
          responsesDone.incrementAndGet();
        } else if (event instanceof ServerEvent.ResponseOutputAudioDelta) {
          audioDeltas.incrementAndGet();
        } else if (event instanceof ServerEvent.ErrorEvent e) {
          if (errorEvents.incrementAndGet() <= 5) {
            System.err.println("error event: " + e.error());
          }
        }
      }

      @Override
      public void onClose(int code, String reason) {
        if (code != 1000) {
          unexpectedCloses.incrementAndGet();
        }
      }

      @Override
      public void onError(Throwable error) {
        if (errorEvents.incrementAndGet() <= 5) {
          System.err.println("client error: " + error);
        }
      }
    };
  }

  /**
   * Sends every session its next 20 ms frame each tick, phases staggered across sessions. Sessions
   * are split over one ticker thread per core so the load generator is not the bottleneck.
   */
  private void stream(List<RealtimeConnection> open) throws Exception {
    byte[] cycle = CallerAudio.utterance(AudioFormat.PCMU, 1000, 1500, 1500);
    List<String> frames =
        CallerAudio.frames(AudioFormat.PCMU, cycle).stream()
            .map(b -> Base64.getEncoder().encodeToString(b))
            .toList();
    int threads = Runtime.getRuntime().availableProcessors();
    ScheduledExecutorService ticker = Executors.newScheduledThreadPool(threads);
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      List<RealtimeConnection> slice = new ArrayList<>();
      for (int i = t; i < open.size(); i += threads) {
        slice.add(open.get(i));
      }
      int offset = t;
      long[] tick = {0};
      ticker.scheduleAtFixedRate(
          () -> sendTick(slice, frames, tick[0]++, offset, start),
          0,
          FRAME_MS,
          TimeUnit.MILLISECONDS);
    }
    ticker.awaitTermination(seconds, TimeUnit.SECONDS);
    ticker.shutdownNow();
  }

  private void sendTick(
      List<RealtimeConnection> slice, List<String> frames, long tick, int offset, long start) {
    long lag = (System.nanoTime() - start) / 1_000_000 - tick * FRAME_MS;
    maxTickLagMs.accumulateAndGet(lag, Math::max);
    if (tick * FRAME_MS >= 5_000) {
      lagSumMs.addAndGet(Math.max(0, lag));
      lagTicks.incrementAndGet();
    }
    for (int i = 0; i < slice.size(); i++) {
      RealtimeConnection c = slice.get(i);
      if (c.isOpen()) {
        int phase = (int) ((tick + (i * 2L + offset) * 7L) % frames.size());
        c.send(new ClientEvent.InputAudioBufferAppend(null, frames.get(phase)));
        framesSent.incrementAndGet();
      }
    }
  }

  private void report(
      JsonNode idle,
      JsonNode before,
      JsonNode after,
      long connectFailures,
      long sustained,
      long clientCpuNanos) {
    long live = after.path("live").asLong();
    long perSession =
        live == 0
            ? 0
            : (after.path("heapAfterGc").asLong() - idle.path("heapAfterGc").asLong()) / live;
    double serverCpu =
        (after.path("cpuNanos").asLong() - before.path("cpuNanos").asLong()) / 1e9 / seconds;
    System.out.printf(
        "sessions=%d seconds=%d connectFailures=%d sustained=%d unexpectedCloses=%d errors=%d%n"
            + "framesSent=%d (expected %d) responsesDone=%d (%.1f per session) audioDeltas=%d"
            + " tickLagMs avg=%.1f max=%d (after 5 s warm-up for avg)%n"
            + "sandboxHeapIdle=%.1fMiB sandboxHeapLoaded=%.1fMiB heapPerSession=%.1fKiB"
            + " nettyDirect=%.1fMiB%n"
            + "sandboxCpu=%.2f cores (%.1f us per frame incl. responses) clientCpu=%.2f cores"
            + " (of %d)%n",
        sessions,
        seconds,
        connectFailures,
        sustained,
        unexpectedCloses.get(),
        errorEvents.get(),
        framesSent.get(),
        (long) sessions * seconds * 1000 / FRAME_MS,
        responsesDone.get(),
        responsesDone.get() / (double) Math.max(1, sessions),
        audioDeltas.get(),
        lagSumMs.get() / (double) Math.max(1, lagTicks.get()),
        maxTickLagMs.get(),
        idle.path("heapAfterGc").asLong() / 1048576.0,
        after.path("heapAfterGc").asLong() / 1048576.0,
        perSession / 1024.0,
        after.path("nettyDirect").asLong() / 1048576.0,
        serverCpu,
        serverCpu * seconds * 1e6 / Math.max(1, framesSent.get()),
        clientCpuNanos / 1e9 / seconds,
        Runtime.getRuntime().availableProcessors());
  }

  /** The machine is shared; the load average tells how much CPU other processes took. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "n/a";
    }
  }

  private static long clientCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}

package dev.voicebus.ingest.bench;

import dev.voicebus.ingest.IngestService;
import dev.voicebus.ingest.config.IngestConfig;
import dev.voicebus.kafka.embedded.EmbeddedKafkaBroker;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Runs N simulated Twilio calls in real time against one ingest node on an embedded broker, for
 * each chunk size, and prints a Markdown table: heap per call after GC, publish latency percentiles
 * (send to acks=all ack), frames/s and CPU. The simulated callers run in a child JVM. Usage: {@code
 * IngestBenchmark [calls=250,500,1000] [chunks=20,40] [seconds=30]}.
 */
public final class IngestBenchmark {

  private record Result(
      int chunkMs,
      int calls,
      double heapKbPerCall,
      Histogram latency,
      double framesPerSecond,
      double expectedFramesPerSecond,
      double cpuCores,
      double directMib,
      String simulator) {}

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      opts.put(kv[0], kv[1]);
    }
    int[] calls = ints(opts.getOrDefault("calls", "250,500,1000"));
    int[] chunks = ints(opts.getOrDefault("chunks", "20,40"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "30"));
    List<Result> results = new ArrayList<>();
    try (var broker = EmbeddedKafkaBroker.start()) {
      for (int chunk : chunks) {
        for (int n : calls) {
          results.add(run(broker.bootstrapServers(), chunk, n, seconds));
          System.err.println(row(results.get(results.size() - 1)));
        }
      }
    }
    System.out.println(
        "| chunk ms | calls | heap/call (KiB) | publish p50 ms | p99 ms | p99.9 ms | max ms | frames/s in (expected) | node+broker CPU (cores) | Netty direct MiB | callers |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    results.forEach(r -> System.out.println(row(r)));
  }

  private static String row(Result r) {
    return String.format(
        Locale.ROOT,
        "| %d | %d | %.1f | %.2f | %.2f | %.2f | %.2f | %.0f (%.0f) | %.2f | %.1f | %s |",
        r.chunkMs(),
        r.calls(),
        r.heapKbPerCall(),
        ms(r.latency(), 50),
        ms(r.latency(), 99),
        ms(r.latency(), 99.9),
        r.latency().getMaxValue() / 1e6,
        r.framesPerSecond(),
        r.expectedFramesPerSecond(),
        r.cpuCores(),
        r.directMib(),
        r.simulator());
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1e6;
  }

  private static Result run(String bootstrap, int chunkMs, int calls, int seconds)
      throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put("kafka.bootstrap.servers", bootstrap);
    settings.put("topics.prefix", "bench" + UUID.randomUUID().toString().substring(0, 6) + ".");
    settings.put("topics.partitions.call-input", "12");
    settings.put("topics.partitions.reply", "1");
    settings.put("ingest.host", "127.0.0.1");
    settings.put("ingest.port", "0");
    settings.put("ingest.admin-port", "0");
    settings.put("ingest.twilio.auth-token", "bench-token");
    settings.put("ingest.chunk-ms", String.valueOf(chunkMs));
    settings.put("ingest.max-concurrent-calls", "5000");
    settings.put("ingest.drain-timeout", "2s");
    var source = ConfigSource.of(settings);
    try (var service =
        new IngestService(IngestConfig.from(source), KafkaSettings.from(source)).start()) {
      long baseline = heapAfterGc();
      var child = startCallers(service.port(), calls, seconds);
      var out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.equals("READY")) {
        System.err.println("callers: " + line);
      }
      Thread.sleep(3000); // steady state
      service.metrics().publishLatencyRecorder().getIntervalHistogram(); // reset
      double framesBefore = service.metrics().framesIn();
      long cpuBefore = processCpuNanos();
      long start = System.nanoTime();
      int window = Math.max(5, seconds - 8);
      Thread.sleep(window * 1000L);
      double elapsed = (System.nanoTime() - start) / 1e9;
      double frames = service.metrics().framesIn() - framesBefore;
      double cpu = (processCpuNanos() - cpuBefore) / 1e9 / elapsed;
      Histogram latency = service.metrics().publishLatencyRecorder().getIntervalHistogram();
      double directMib =
          io.netty.buffer.ByteBufAllocator.DEFAULT
                  instanceof io.netty.buffer.ByteBufAllocatorMetricProvider provider
              ? provider.metric().usedDirectMemory() / 1048576.0
              : -1;
      long during = heapAfterGc();
      String done = "";
      while ((line = out.readLine()) != null) {
        done = line;
      }
      child.waitFor(60, TimeUnit.SECONDS);
      // Per-call heap = live heap with the calls minus live heap once they have ended (same broker
      // state, same warmed-up node), so broker and JIT growth are not charged to calls.
      long after = heapAfterGc();
      System.err.printf(
          Locale.ROOT,
          "heap baseline=%d during=%d after=%d (upper bound %.1f KiB/call)%n",
          baseline,
          during,
          after,
          (during - baseline) / 1024.0 / calls);
      return new Result(
          chunkMs,
          calls,
          (during - after) / 1024.0 / calls,
          latency,
          frames / elapsed,
          calls * 50.0,
          cpu,
          directMib,
          done);
    }
  }

  private static Process startCallers(int port, int calls, int seconds) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    var command =
        List.of(
            java,
            "-Xmx1g",
            "-cp",
            System.getProperty("java.class.path"),
            SimulatorRunner.class.getName(),
            "ws://127.0.0.1:" + port + "/twilio/media",
            "bench-token",
            String.valueOf(calls),
            String.valueOf(seconds));
    var log =
        new java.io.File(
            System.getProperty("java.io.tmpdir"), "ingest-bench-callers-" + calls + ".log");
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log)).start();
  }

  /**
   * Live heap right after a full GC: the sum of each heap pool's usage as the collector left it
   * (reading plain usage later would count what the running calls allocated since).
   */
  private static long heapAfterGc() throws InterruptedException {
    System.gc();
    Thread.sleep(100);
    System.gc();
    long used = 0;
    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP
          && pool.getCollectionUsage() != null) {
        used += pool.getCollectionUsage().getUsed();
      }
    }
    return used;
  }

  private static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  private static int[] ints(String csv) {
    return java.util.Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
  }
}

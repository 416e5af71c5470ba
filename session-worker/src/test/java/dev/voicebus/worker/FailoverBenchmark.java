package dev.voicebus.worker;

import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.SessionReconnect;
import dev.voicebus.kafka.embedded.EmbeddedKafkaBroker;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.worker.WorkerHarness.Workers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.GroupState;

/**
 * Failover time over repeated {@code kill -9}s: two worker JVMs share live calls (half on each
 * partition); one is killed, and for every call it owned the time from the kill to the call's new
 * Realtime session being open, replayed and taking audio is recorded; a replacement worker is then
 * started and the next kill hits the other one. Not a test (it runs minutes): {@code ./mvnw -q -o
 * -pl session-worker test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.voicebus.worker.FailoverBenchmark -Dexec.args="KILLS CALLS SESSION_TIMEOUT"}
 * (defaults 20, 20, 3s).
 */
public final class FailoverBenchmark {

  public static void main(String[] args) throws Exception {
    int kills = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    String sessionTimeout = args.length > 2 ? args[2] : "3s";
    var samples = new Histogram(60_000, 3);
    var worstPerKill = new Histogram(60_000, 3);
    try (var cluster = EmbeddedKafkaBroker.start(Map.of("group.min.session.timeout.ms", "1000"));
        var sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
        var harness =
            new WorkerHarness(
                cluster,
                sandbox.baseUri(),
                WorkerHarness.tempDir(),
                Map.of("worker.session-timeout", sessionTimeout, "worker.standby-replicas", "1"),
                Workers.NONE)) {
      String group = harness.settings.get("worker.application-id");
      List<WorkerProcess> workers = new ArrayList<>();
      workers.add(WorkerProcess.start(harness.settings, "failover-0"));
      workers.add(WorkerProcess.start(harness.settings, "failover-1"));
      awaitOnePartitionEach(cluster.bootstrapServers(), group);
      List<List<String>> byPartition = startCalls(harness, calls);
      int started = 2;
      for (int kill = 0; kill < kills; kill++) {
        WorkerProcess victim = workers.remove(0);
        Instant killedAt = Instant.now();
        victim.kill();
        List<Long> moved = awaitMovedCalls(harness, byPartition, killedAt);
        moved.forEach(samples::recordValue);
        long worst = moved.stream().mapToLong(Long::longValue).max().orElseThrow();
        worstPerKill.recordValue(worst);
        System.out.printf(
            "kill %d/%d (%s): %d calls moved, audio flowing again after %d-%d ms%n",
            kill + 1,
            kills,
            victim.name,
            moved.size(),
            moved.stream().mapToLong(Long::longValue).min().orElseThrow(),
            worst);
        workers.add(WorkerProcess.start(harness.settings, "failover-" + started++));
        awaitOnePartitionEach(cluster.bootstrapServers(), group);
        Thread.sleep(3000);
      }
      long dropped =
          byPartition.stream()
              .flatMap(List::stream)
              .filter(c -> harness.summary(c) != null)
              .count();
      report(kills, calls, sessionTimeout, samples, worstPerKill, dropped);
      for (WorkerProcess worker : workers) {
        worker.close();
      }
    }
    System.exit(0);
  }

  /**
   * A stable group of two workers, each owning one partition of audio.in: the next kill then moves
   * exactly one partition's calls, not none or all (right after a worker joins, Streams may still
   * be moving tasks to it).
   */
  private static void awaitOnePartitionEach(String bootstrap, String group) {
    try (var admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      await()
          .atMost(FaultChecks.WAIT)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(
              () -> {
                var g = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                return g.groupState() == GroupState.STABLE
                    && g.members().size() == 2
                    && g.members().stream()
                        .allMatch(
                            m ->
                                m.assignment().topicPartitions().stream()
                                        .filter(tp -> tp.topic().endsWith("audio.in"))
                                        .count()
                                    == 1);
              });
    }
  }

  private static List<List<String>> startCalls(WorkerHarness harness, int calls) {
    List<List<String>> byPartition = List.of(new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < calls; i++) {
      String call = harness.startCall("support", FaultChecks.callOnPartition(i % 2));
      harness.speak(call, 0, 1200, 800);
      byPartition.get(i % 2).add(call);
    }
    long deadline = System.nanoTime() + FaultChecks.WAIT.toNanos();
    for (List<String> partition : byPartition) {
      for (String call : partition) {
        while (harness.agentFinals(call).isEmpty()) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("call " + call + " never got its first answer");
          }
          sleep(50);
        }
      }
    }
    return byPartition;
  }

  /** Waits until every call of one partition resumed after {@code killedAt}; their delays in ms. */
  private static List<Long> awaitMovedCalls(
      WorkerHarness harness, List<List<String>> byPartition, Instant killedAt) {
    long deadline = System.nanoTime() + FaultChecks.WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (List<String> partition : byPartition) {
        List<Long> delays = new ArrayList<>();
        for (String call : partition) {
          resumedAfter(harness, call, killedAt)
              .ifPresent(at -> delays.add(Duration.between(killedAt, at).toMillis()));
        }
        if (delays.size() == partition.size()) {
          return delays;
        }
      }
      sleep(50);
    }
    throw new IllegalStateException("no partition's calls resumed within " + FaultChecks.WAIT);
  }

  private static Optional<Instant> resumedAfter(
      WorkerHarness harness, String call, Instant killedAt) {
    return harness.eventsOf(call).stream()
        .filter(
            e ->
                e.getEvent() instanceof SessionReconnect r
                    && r.getReason().equals("worker failover")
                    && e.getAt().isAfter(killedAt))
        .map(e -> e.getAt())
        .findFirst();
  }

  private static void report(
      int kills,
      int calls,
      String sessionTimeout,
      Histogram samples,
      Histogram worstPerKill,
      long ended) {
    System.out.printf(
        "%nkill -9 -> audio flowing on the new owner (%d kills, %d live calls, worker.session-timeout=%s,"
            + " heartbeat 250 ms, standby replicas 1)%n",
        kills, calls, sessionTimeout);
    System.out.printf(
        "per moved call (n=%d): p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n",
        samples.getTotalCount(),
        samples.getValueAtPercentile(50),
        samples.getValueAtPercentile(90),
        samples.getValueAtPercentile(99),
        samples.getMaxValue());
    System.out.printf(
        "slowest call per kill (n=%d): p50 %d ms, p99 %d ms, max %d ms%n",
        worstPerKill.getTotalCount(),
        worstPerKill.getValueAtPercentile(50),
        worstPerKill.getValueAtPercentile(99),
        worstPerKill.getMaxValue());
    System.out.printf("calls that ended (dropped) during the run: %d of %d%n", ended, calls);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

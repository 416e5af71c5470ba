package dev.voicebus.launcher.bench;

import dev.voicebus.launcher.load.AudioIntegrity;
import dev.voicebus.launcher.load.LatencyStats;
import dev.voicebus.launcher.load.LoadReport;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's results, Voicebus and the direct bridge side by side per size with the
 * Voicebus/bridge ratios, as Markdown (machine, JVM, OS, date and settings on top).
 */
public final class BenchTable {

  /** One size's pair of runs. */
  public record Row(int calls, LoadReport voicebus, LoadReport bridge) {}

  private final List<Row> rows = new ArrayList<>();
  private final String command;

  public BenchTable(String command) {
    this.command = command;
  }

  public void add(Row row) {
    rows.add(row);
  }

  /** The whole report as Markdown. */
  public String markdown() {
    var md = new StringBuilder();
    md.append("Command: `").append(command).append("`\n\n");
    md.append(machine()).append("\n\n");
    md.append(
        "| calls | system | connected/failed | in p50 / p99 / p99.9 ms | out p50 / p99 / p99.9 ms"
            + " | tool p50 / p99 / max ms (n) | frames lost / dup / reordered calls"
            + " | agent audio bursts heard | CPU cores | heap/call KiB |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row row : rows) {
      line(md, row.calls(), "Voicebus", row.voicebus());
      line(md, row.calls(), "bridge", row.bridge());
      ratio(md, row);
    }
    return md.toString();
  }

  private static void line(StringBuilder md, int calls, String name, LoadReport r) {
    md.append(
        String.format(
            Locale.ROOT,
            "| %d | %s | %d/%d | %s | %s | %s | %s | %d | %.2f | %.0f |%n",
            calls,
            name,
            r.connected(),
            r.failed(),
            three(r.inbound()),
            three(r.outbound()),
            tool(r.toolOverhead()),
            r.integrity().map(BenchTable::integrity).orElse("n/a"),
            r.responsesHeard(),
            r.cpuCores(),
            r.heapPerCallKib()));
  }

  private static void ratio(StringBuilder md, Row row) {
    LoadReport v = row.voicebus();
    LoadReport b = row.bridge();
    md.append(
        String.format(
            Locale.ROOT,
            "| %d | **ratio V/B** | | p99 %s | p99 %s | p99 %s | | | %s | %s |%n",
            row.calls(),
            ratio(v.inbound(), b.inbound()),
            ratio(v.outbound(), b.outbound()),
            ratio(v.toolOverhead(), b.toolOverhead()),
            ratio(v.cpuCores(), b.cpuCores()),
            ratio(v.heapPerCallKib(), b.heapPerCallKib())));
  }

  private static String ratio(LatencyStats a, LatencyStats b) {
    if (a.count() <= 0 || b.count() <= 0) {
      return "n/a";
    }
    if (b.p99() < 0.1) {
      return String.format(Locale.ROOT, ">%.0fx", a.p99() / 0.1);
    }
    return ratio(a.p99(), b.p99());
  }

  private static String ratio(double a, double b) {
    return b <= 0 ? "n/a" : String.format(Locale.ROOT, "%.1fx", a / b);
  }

  private static String three(LatencyStats s) {
    return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", s.p50(), s.p99(), s.p999());
  }

  private static String tool(LatencyStats s) {
    return String.format(
        Locale.ROOT, "%.2f / %.2f / %.2f (%d)", s.p50(), s.p99(), s.max(), s.count());
  }

  private static String integrity(AudioIntegrity i) {
    return i.framesLost() + " / " + i.framesDuplicated() + " / " + i.callsReordered();
  }

  /** Cores, memory, JVM, OS and the date. */
  public static String machine() {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return String.format(
        Locale.ROOT,
        "Machine: %d cores, %d MiB RAM; JVM %s %s (max heap %d MiB); OS %s %s %s; %s",
        Runtime.getRuntime().availableProcessors(),
        os.getTotalMemorySize() >> 20,
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("os.arch"),
        Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }
}

package dev.voicebus.launcher;

import dev.voicebus.launcher.bench.BenchTable;
import dev.voicebus.launcher.bench.Targets;
import dev.voicebus.launcher.load.LoadReport;
import dev.voicebus.launcher.load.LoadSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code voicebus bench}: for each size, the load test through a fresh embedded Voicebus and the
 * same load through a fresh direct WebSocket-to-WebSocket bridge, one after another; prints a table
 * with both and the Voicebus/bridge ratios and writes it as Markdown.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "bench",
    description = "Load test Voicebus and a direct WebSocket bridge at several sizes; compare.")
final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "100,250,500,1000",
      description = "Concurrent calls per run (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes = new ArrayList<>();

  @Option(
      names = "--duration",
      defaultValue = "30s",
      description = "How long each call streams (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(
      names = "--chunk-ms",
      defaultValue = "20",
      description = "Ingest audio chunk in ms (default: ${DEFAULT-VALUE}).")
  int chunkMs;

  @Option(
      names = "--ramp-up",
      defaultValue = "5s",
      description = "Spread call starts over this time (default: ${DEFAULT-VALUE}).")
  String rampUp;

  @Option(
      names = "--warm-up",
      defaultValue = "20s",
      description =
          "After the ramp-up, stream this long before measuring (default: ${DEFAULT-VALUE}).")
  String warmUp;

  @Option(names = "--report", description = "Write the results as Markdown to this file.")
  Path report;

  @Override
  public Integer call() throws Exception {
    List<LoadSettings> runs = new ArrayList<>();
    for (int size : sizes) {
      runs.add(LoadTestCommand.settings(spec, size, duration, chunkMs, rampUp, warmUp));
    }
    if (report != null && report.getParent() != null && !Files.isDirectory(report.getParent())) {
      throw new ParameterException(
          spec.commandLine(), "--report " + report + ": no such directory");
    }
    var table = new BenchTable(commandLine());
    warmUp();
    for (LoadSettings load : runs) {
      System.out.println("== " + load.calls() + " calls: Voicebus");
      LoadReport voicebus = Targets.voicebus(load, Map.of(), System.out::println);
      voicebus.print(System.out);
      System.gc();
      System.out.println("== " + load.calls() + " calls: direct bridge");
      LoadReport bridge = Targets.bridge(load, System.out::println);
      bridge.print(System.out);
      System.gc();
      table.add(new BenchTable.Row(load.calls(), voicebus, bridge));
    }
    String markdown = table.markdown();
    System.out.println();
    System.out.println(markdown);
    if (report != null) {
      Files.writeString(report, markdown);
      System.out.println("Report written to " + report);
    }
    return 0;
  }

  /** A short unreported run of each, so the first size is not measured with a cold JIT. */
  private static void warmUp() throws Exception {
    System.out.println("== Warm-up (not reported): 50 calls x 12 s through each");
    var load = new LoadSettings(50, java.time.Duration.ofSeconds(12), 20, java.time.Duration.ZERO);
    Targets.voicebus(load, Map.of(), line -> {});
    Targets.bridge(load, line -> {});
    System.gc();
  }

  private String commandLine() {
    return "voicebus bench --sizes "
        + String.join(",", sizes.stream().map(String::valueOf).toList())
        + " --duration "
        + duration
        + " --chunk-ms "
        + chunkMs
        + " --ramp-up "
        + rampUp
        + " --warm-up "
        + warmUp;
  }
}

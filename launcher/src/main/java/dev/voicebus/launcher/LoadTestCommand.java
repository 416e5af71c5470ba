package dev.voicebus.launcher;

import dev.voicebus.launcher.bench.Targets;
import dev.voicebus.launcher.load.LoadProbe;
import dev.voicebus.launcher.load.LoadReport;
import dev.voicebus.launcher.load.LoadRun;
import dev.voicebus.launcher.load.LoadSettings;
import dev.voicebus.schemas.config.ConfigSource;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code voicebus loadtest}: N concurrent simulated Twilio calls streaming looped caller audio in
 * real time against an embedded deployment (default) or a running ingest ({@code --url}), with a
 * progress line per second and a latency, integrity, CPU and memory report.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "loadtest",
    description =
        "Run N concurrent simulated Twilio calls and report latency, loss, CPU and memory.")
final class LoadTestCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--calls",
      defaultValue = "10",
      description = "Concurrent calls (default: ${DEFAULT-VALUE}).")
  int calls;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      description = "How long each call streams (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(
      names = "--chunk-ms",
      defaultValue = "20",
      description =
          "Ingest audio chunk, a multiple of 20 ms (embedded only; default: ${DEFAULT-VALUE}).")
  int chunkMs;

  @Option(
      names = "--ramp-up",
      defaultValue = "5s",
      description = "Spread call starts over this time (default: ${DEFAULT-VALUE}).")
  String rampUp;

  @Option(
      names = "--url",
      description =
          "A running ingest's Twilio stream URL, e.g. ws://host:8080/twilio/media (default: an embedded deployment).")
  URI url;

  @Option(
      names = "--twilio-auth-token",
      defaultValue = "${env:VOICEBUS_INGEST_TWILIO_AUTH_TOKEN}",
      description =
          "The Twilio auth token that ingest verifies signatures with, for --url (default: $VOICEBUS_INGEST_TWILIO_AUTH_TOKEN).")
  String twilioToken;

  @Option(
      names = "--warm-up",
      defaultValue = "20s",
      description =
          "After the ramp-up, stream this long before measuring (JIT warm-up; default: ${DEFAULT-VALUE}).")
  String warmUp;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Any Voicebus setting for the embedded deployment.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    LoadSettings load = settings(spec, calls, duration, chunkMs, rampUp, warmUp);
    LoadReport report;
    if (url == null) {
      report = Targets.voicebus(load, settings, System.out::println);
    } else {
      if (!"ws".equals(url.getScheme()) && !"wss".equals(url.getScheme())) {
        throw new ParameterException(
            spec.commandLine(), "--url " + url + " is not a ws:// or wss:// URL");
      }
      if (twilioToken == null || twilioToken.isBlank()) {
        throw new ParameterException(
            spec.commandLine(),
            "--url needs --twilio-auth-token (or $VOICEBUS_INGEST_TWILIO_AUTH_TOKEN)");
      }
      if (chunkMs != 20 || !settings.isEmpty()) {
        System.out.println("(--chunk-ms and --set are settings of ingest; ignored with --url)");
      }
      System.out.println("Running " + calls + " calls against " + url);
      report =
          new LoadRun(
                  url, twilioToken, Targets.PROFILE, load, LoadProbe.EXTERNAL, System.out::println)
              .run();
    }
    report.print(System.out);
    return 0;
  }

  /** Parses and checks the load options; bad values are a {@link ParameterException} (exit 2). */
  static LoadSettings settings(
      CommandSpec spec, int calls, String duration, int chunkMs, String rampUp, String warmUp) {
    try {
      Duration d = ConfigSource.parseDuration("--duration", duration);
      Duration r = ConfigSource.parseDuration("--ramp-up", rampUp);
      Duration w = ConfigSource.parseDuration("--warm-up", warmUp);
      if (w.isNegative()) {
        throw new IllegalArgumentException("--warm-up must not be negative, was " + warmUp);
      }
      if (calls < 1) {
        throw new IllegalArgumentException("--calls must be at least 1, was " + calls);
      }
      if (d.toMillis() < 1000) {
        throw new IllegalArgumentException("--duration must be at least 1s, was " + duration);
      }
      if (chunkMs < 20 || chunkMs % 20 != 0) {
        throw new IllegalArgumentException(
            "--chunk-ms must be a positive multiple of 20, was " + chunkMs);
      }
      if (r.isNegative()) {
        throw new IllegalArgumentException("--ramp-up must not be negative, was " + rampUp);
      }
      return new LoadSettings(calls, d, chunkMs, r, w);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}

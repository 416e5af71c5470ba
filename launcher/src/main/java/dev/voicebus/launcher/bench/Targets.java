package dev.voicebus.launcher.bench;

import dev.voicebus.launcher.load.EmbeddedProbe;
import dev.voicebus.launcher.load.LoadReport;
import dev.voicebus.launcher.load.LoadRun;
import dev.voicebus.launcher.load.LoadSettings;
import dev.voicebus.launcher.local.LocalOptions;
import dev.voicebus.launcher.local.LocalStack;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs one load against a fresh target: the embedded Voicebus deployment (broker, services and
 * sandbox in this process) or the direct bridge with its own sandbox. Each target is started for
 * the run and closed after it.
 */
public final class Targets {

  /** The agent profile every simulated call asks for. */
  public static final String PROFILE = "support";

  private Targets() {}

  /** The load through a fresh embedded Voicebus; {@code settings} are extra Voicebus settings. */
  public static LoadReport voicebus(
      LoadSettings load, Map<String, String> settings, Consumer<String> progress) throws Exception {
    Map<String, String> values = new HashMap<>(settings);
    values.putIfAbsent("ingest.chunk-ms", String.valueOf(load.chunkMs()));
    // The benchmark measures the call path; analytics is not on it.
    values.putIfAbsent(LocalStack.ANALYTICS_ENABLED, "false");
    // The direct bridge records nothing; neither does the Voicebus side of the comparison.
    values.putIfAbsent(LocalStack.RECORDER_ENABLED, "false");
    try (var stack = LocalStack.start(new LocalOptions(Optional.empty(), 0, 0, values), progress)) {
      URI url = URI.create("ws://127.0.0.1:" + stack.ingestPort() + DirectBridge.PATH);
      progress.accept("Running " + load.calls() + " calls through Voicebus at " + url);
      return new LoadRun(
              url, stack.twilioAuthToken(), PROFILE, load, EmbeddedProbe.of(stack), progress)
          .run();
    }
  }

  /** The same load through a fresh direct bridge and sandbox. */
  public static LoadReport bridge(LoadSettings load, Consumer<String> progress) throws Exception {
    try (var sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
        var bridge = DirectBridge.start(sandbox.baseUri(), 0)) {
      progress.accept(
          "Running " + load.calls() + " calls through the direct bridge at " + bridge.url());
      return new LoadRun(
              bridge.url(), "unused", PROFILE, load, new BridgeProbe(bridge, sandbox), progress)
          .run();
    }
  }
}

package dev.voicebus.launcher;

import dev.voicebus.avro.CallSummary;
import dev.voicebus.avro.TokenUsage;
import dev.voicebus.launcher.audio.CallerAudio;
import dev.voicebus.launcher.demo.AnalyticsReport;
import dev.voicebus.launcher.demo.ConversationalCaller;
import dev.voicebus.launcher.demo.LiveTranscript;
import dev.voicebus.launcher.local.LocalStack;
import dev.voicebus.launcher.local.RecordingWatcher;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.TwilioCallSimulator;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voicebus demo}: dev mode plus one sample call. A bundled recording of a caller is played
 * as a Twilio Media Stream in real time; the live transcript of both sides, the tool call and its
 * result are printed as they happen, then a summary, and everything shuts down.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "demo",
    description = "Run everything locally and place one sample call, printing the live transcript.")
final class DemoCommand implements Callable<Integer> {

  @Mixin StackOptions stack;

  @Option(
      names = "--wav",
      description = "Caller audio to play instead of the bundled recording (any PCM or G.711 WAV).")
  Path wav;

  @Option(
      names = "--turn-timeout",
      defaultValue = "30s",
      description = "How long to wait for each agent answer (default: ${DEFAULT-VALUE}).")
  String turnTimeout;

  @Override
  public Integer call() throws Exception {
    Duration timeout = ConfigSource.parseDuration("--turn-timeout", turnTimeout);
    var audio = callerAudio();
    var utterances = audio.utterances(700);
    System.out.println("Voicebus demo: starting everything on this machine...");
    try (var local =
            LocalStack.start(stack.toLocal(0, 0), line -> System.out.println("  " + line));
        var simulator =
            new TwilioCallSimulator(
                SimulatorOptions.of(twilioUri(local), local.twilioAuthToken()), 1)) {
      System.out.println(
          "Calling the agent ("
              + (local.sandbox().isPresent()
                  ? "Realtime sandbox"
                  : "Realtime at " + local.realtimeUri().getHost())
              + ") with a "
              + audio.durationMs() / 1000
              + " s recording in "
              + utterances.size()
              + " turns:");
      local
          .consoleUrl()
          .ifPresent(
              url ->
                  System.out.println(
                      "Web console (while the demo runs): " + url + "#token=" + local.apiToken()));
      System.out.println();
      var call = simulator.call(Map.of("agentProfile", "support")).get(15, TimeUnit.SECONDS);
      try (var transcript = new LiveTranscript(local.kafka(), call.callSid(), System.out)) {
        long started = System.nanoTime();
        List<Long> latencies =
            new ConversationalCaller(call, timeout, line -> System.out.println("  " + line))
                .converse(utterances);
        call.sendStop();
        CallSummary summary = awaitSummary(transcript);
        printSummary(
            summary,
            latencies,
            transcript.toolRoundTripMs(),
            (System.nanoTime() - started) / 1_000_000);
        boolean analysed = printAnalytics(local, call.callSid());
        if (local.recorder().isPresent()) {
          printRecording(local, call.callSid());
        }
        return summary == null || !analysed ? 1 : 0;
      }
    } finally {
      System.out.println("Voicebus stopped.");
    }
  }

  /** What the analytics service assembled, read back over its API; false if it did not. */
  private static boolean printAnalytics(LocalStack local, String callSid)
      throws InterruptedException {
    if (local.analyticsPort().isEmpty()) {
      return true;
    }
    var report = new AnalyticsReport(local.analyticsPort().get(), local.apiToken());
    System.out.println();
    System.out.println("Analytics");
    var call = report.finalCall(callSid, Duration.ofSeconds(30));
    if (call.isEmpty()) {
      System.out.println("  the call's document was not final within 30 s");
      return false;
    }
    report.print(call.get(), System.out);
    return true;
  }

  private CallerAudio callerAudio() throws IOException {
    if (wav != null) {
      if (!Files.isReadable(wav)) {
        throw new IOException("--wav " + wav + ": no such readable file");
      }
      try (InputStream in = new FileInputStream(wav.toFile())) {
        return CallerAudio.read(in, wav.toString());
      }
    }
    try (InputStream in =
        DemoCommand.class.getClassLoader().getResourceAsStream("demo/caller.wav")) {
      return CallerAudio.read(in, "the bundled demo/caller.wav");
    }
  }

  private static void printRecording(LocalStack local, String callSid) {
    var recording = RecordingWatcher.await(local.kafka(), callSid, Duration.ofSeconds(20));
    if (recording.isEmpty()) {
      System.out.println("  recording: not announced within 20 s after hanging up");
    } else if (recording.get().getLocation() == null) {
      System.out.println("  recording: kept by the carrier");
    } else {
      String location = recording.get().getLocation();
      System.out.println(
          "  recording: "
              + (location.startsWith("file:") ? Path.of(URI.create(location)).toString() : location)
              + " (stereo WAV: caller left, agent right; the .json next to it lists the turns)");
    }
  }

  private static URI twilioUri(LocalStack local) {
    return URI.create("ws://127.0.0.1:" + local.ingestPort() + "/twilio/media");
  }

  private static CallSummary awaitSummary(LiveTranscript transcript) throws Exception {
    try {
      return transcript.summary().get(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      System.out.println("No call summary arrived within 20 s after hanging up.");
      return null;
    }
  }

  private static void printSummary(
      CallSummary summary, List<Long> latencies, long toolRoundTripMs, long wallMs) {
    System.out.println();
    System.out.println("Call summary");
    if (summary != null) {
      System.out.printf(
          Locale.ROOT,
          "  agent responses %d, tool calls %d, reconnects %d, call length %.1f s%n",
          summary.getTurns(),
          summary.getToolCalls(),
          summary.getReconnects(),
          summary.getDurationMs() / 1000.0);
      TokenUsage u = summary.getUsage();
      System.out.printf(
          Locale.ROOT,
          "  tokens in: %d audio + %d text (%d cached), out: %d audio + %d text; cost $%.4f%n",
          u.getInputAudioTokens(),
          u.getInputTextTokens(),
          u.getCachedAudioTokens() + u.getCachedTextTokens(),
          u.getOutputAudioTokens(),
          u.getOutputTextTokens(),
          summary.getCostUsd());
    }
    if (!latencies.isEmpty()) {
      var sorted = latencies.stream().sorted().toList();
      System.out.printf(
          Locale.ROOT,
          "  caller stops talking -> agent audio at the phone: median %d ms, max %d ms over %d turns (includes end-of-turn detection)%n",
          sorted.get(sorted.size() / 2),
          sorted.get(sorted.size() - 1),
          sorted.size());
    }
    if (toolRoundTripMs >= 0) {
      System.out.printf(
          Locale.ROOT,
          "  tool round trip (ToolCall -> ToolResult on Kafka): %d ms%n",
          toolRoundTripMs);
    }
    System.out.printf(Locale.ROOT, "  demo wall time %.1f s%n", wallMs / 1000.0);
  }
}

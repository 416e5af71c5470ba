package dev.voicebus.launcher.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;

/**
 * The outcome of one load run: what was sent and heard by the callers, the system's internal
 * latencies (when visible), inbound audio integrity (when the Realtime side is a local sandbox),
 * and CPU and heap of this JVM.
 *
 * @param connected calls that connected
 * @param failed calls that failed to connect or were closed before the end
 * @param callerFramesSent 20 ms frames all callers sent
 * @param agentFramesHeard 20 ms media messages of agent audio all callers received
 * @param responsesHeard bursts of agent audio the callers heard (gaps over 400 ms split them, so
 *     this is the number of responses only while delivery keeps up)
 * @param toolCalls tool round trips measured
 * @param cpuCores process CPU time / wall time while the calls streamed (cores used)
 * @param heapPerCallKib growth of heap after GC with the calls live, per call (KiB)
 */
public record LoadReport(
    String target,
    LoadSettings settings,
    int connected,
    int failed,
    long callerFramesSent,
    long agentFramesHeard,
    long responsesHeard,
    long toolCalls,
    LatencyStats inbound,
    LatencyStats outbound,
    LatencyStats toolOverhead,
    Optional<AudioIntegrity> integrity,
    double cpuCores,
    long heapIdleMib,
    long heapLoadedMib,
    double heapPerCallKib) {

  /** Prints the report for a person. */
  public void print(PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%nLoad test against %s: %d calls, measured over %d s after a %d s ramp-up and %d s"
            + " warm-up, chunk %d ms%n",
        target,
        settings.calls(),
        settings.duration().toSeconds(),
        settings.rampUp().toSeconds(),
        settings.warmUp().toSeconds(),
        settings.chunkMs());
    out.printf(
        Locale.ROOT,
        "  calls: %d connected, %d failed or dropped early%n"
            + "  caller frames sent: %d; agent frames heard: %d; agent audio bursts heard: %d%n",
        connected,
        failed,
        callerFramesSent,
        agentFramesHeard,
        responsesHeard);
    out.println("  latency added (ms):");
    out.println("    ingest receipt -> Realtime send:   " + inbound.describe());
    out.println("    Realtime audio -> caller socket:   " + outbound.describe());
    out.println("    tool round trip overhead:          " + toolOverhead.describe());
    out.println("  inbound audio: " + integrity.map(LoadReport::describe).orElse("unavailable"));
    out.printf(
        Locale.ROOT,
        "  CPU: %.2f cores used (this process)%n"
            + "  heap after GC: %d MiB idle, %d MiB with the calls -> %.0f KiB per call%n",
        cpuCores,
        heapIdleMib,
        heapLoadedMib,
        heapPerCallKib);
    if (!inbound.available()) {
      out.println(
          "  (internal latencies and audio integrity are only measurable against the embedded"
              + " deployment; CPU and heap are this load generator's own)");
    }
  }

  private static String describe(AudioIntegrity i) {
    return String.format(
        Locale.ROOT,
        "%d frames sent, %d received by Realtime within 15 s of the end; lost %d, duplicated %d;"
            + " calls intact %d, reordered %d, with frames missing/extra %d",
        i.framesSent(),
        i.framesReceived(),
        i.framesLost(),
        i.framesDuplicated(),
        i.callsIntact(),
        i.callsReordered(),
        i.callsAltered());
  }
}

package dev.voicebus.recorder.call;

import dev.voicebus.recorder.audio.ChannelFile;
import dev.voicebus.recorder.audio.PcmFormat;
import dev.voicebus.recorder.audio.WavWriter;
import dev.voicebus.recorder.timeline.AgentPlacer;
import dev.voicebus.recorder.timeline.Span;
import dev.voicebus.recorder.timeline.TurnTracker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a finished {@link CallRecording} into its stereo WAV (caller left, agent right) and JSON
 * sidecar, streaming: the agent's spooled chunks are placed into an agent channel file, then both
 * channels are read one second at a time, paused spans silenced in both, interleaved and written.
 * Memory use does not grow with the call's length.
 */
public final class Renderer {

  /** RMS level (of 16-bit samples) from which caller audio counts as speech: about -36 dBFS. */
  static final double SPEECH_RMS = 500;

  private static final long TURN_BLOCK_MS = 20;
  private static final long TURN_MERGE_MS = 600;
  private static final long TURN_MIN_MS = 120;

  private Renderer() {}

  /**
   * Renders {@code call} into {@code outbox} as {@code <name>.wav} and {@code <name>.json}; the
   * call's working files are left for the caller to delete.
   */
  public static Rendered render(CallRecording call, Path outbox, String name, FinishReason reason)
      throws IOException {
    Files.createDirectories(outbox);
    PcmFormat format = call.info().format();
    Path agentPath = call.directory().resolve("agent.pcm");
    try (ChannelFile agent = ChannelFile.create(agentPath)) {
      List<AgentPlacer.AgentTurn> agentTurns = placeAgent(call, agent);
      long length = length(call, agent);
      List<Span> paused = call.pauses().spans(length);
      Path wav = outbox.resolve(name + ".wav");
      List<Span> callerTurns = mix(call.caller(), agent, paused, length, format, wav);
      Sidecar sidecar =
          sidecar(call, reason, length, paused, merged(callerTurns, agentTurns, format));
      Path json = outbox.resolve(name + ".json");
      sidecar.write(json);
      return new Rendered(wav, json, sidecar);
    } finally {
      Files.deleteIfExists(agentPath);
    }
  }

  private static List<AgentPlacer.AgentTurn> placeAgent(CallRecording call, ChannelFile agent)
      throws IOException {
    AgentPlacer placer = call.agentPlacer();
    long max = call.limits().maxSamples();
    call.agent()
        .forEach(
            entry ->
                placer
                    .place(entry.chunk())
                    .ifPresent(
                        p -> {
                          long length = Math.min(p.length(), max - p.at());
                          if (length > 0) {
                            writeQuietly(agent, p.at(), entry.pcm16le(), (int) length * 2);
                          }
                        }));
    agent.flush();
    return placer.turns();
  }

  private static void writeQuietly(ChannelFile file, long at, byte[] pcm, int bytes) {
    try {
      file.write(at, pcm, 0, bytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The call's length: to its end when known, else to the last audio; never past the maximum. */
  private static long length(CallRecording call, ChannelFile agent) {
    long audioEnd = Math.max(call.caller().endSample(), agent.endSample());
    long length =
        call.end()
            .map(e -> Math.max(call.caller().endSample(), call.timeline(e.endedAt())))
            .orElse(audioEnd);
    return Math.max(0, Math.min(length, call.limits().maxSamples()));
  }

  private static List<Span> mix(
      ChannelFile caller,
      ChannelFile agent,
      List<Span> paused,
      long length,
      PcmFormat format,
      Path wav)
      throws IOException {
    int block = format.sampleRate();
    int turnBlock = (int) format.samplesOf(TURN_BLOCK_MS);
    var turns =
        new TurnTracker(SPEECH_RMS, format.samplesOf(TURN_MERGE_MS), format.samplesOf(TURN_MIN_MS));
    ByteBuffer left = ByteBuffer.allocate(block * 2);
    ByteBuffer right = ByteBuffer.allocate(block * 2);
    ByteBuffer out = ByteBuffer.allocate(block * 4);
    try (WavWriter writer = WavWriter.create(wav, 2, format.sampleRate())) {
      for (long at = 0; at < length; at += block) {
        int samples = (int) Math.min(block, length - at);
        left.clear().limit(samples * 2);
        right.clear().limit(samples * 2);
        caller.read(at, left);
        agent.read(at, right);
        silence(left.array(), at, samples, paused);
        silence(right.array(), at, samples, paused);
        for (int i = 0; i < samples; i += turnBlock) {
          int n = Math.min(turnBlock, samples - i);
          turns.block(at + i, n, TurnTracker.rms(left.array(), i * 2, n));
        }
        out.clear();
        for (int i = 0; i < samples; i++) {
          out.put(left.array(), i * 2, 2).put(right.array(), i * 2, 2);
        }
        writer.write(out.flip());
      }
    }
    return turns.finish();
  }

  private static void silence(byte[] pcm, long at, int samples, List<Span> paused) {
    for (Span span : paused) {
      if (span.overlaps(at, at + samples)) {
        int from = (int) (Math.max(at, span.from()) - at);
        int to = (int) (Math.min(at + samples, span.to()) - at);
        java.util.Arrays.fill(pcm, from * 2, to * 2, (byte) 0);
      }
    }
  }

  private static List<Sidecar.Turn> merged(
      List<Span> caller, List<AgentPlacer.AgentTurn> agent, PcmFormat format) {
    List<Sidecar.Turn> turns = new ArrayList<>();
    caller.forEach(
        s ->
            turns.add(
                new Sidecar.Turn(
                    "caller", format.millisOf(s.from()), format.millisOf(s.to()), null, null)));
    agent.forEach(
        t ->
            turns.add(
                new Sidecar.Turn(
                    "agent",
                    format.millisOf(t.span().from()),
                    format.millisOf(t.span().to()),
                    t.itemId(),
                    t.interrupted())));
    turns.sort(Comparator.comparingLong(Sidecar.Turn::startMs));
    return turns;
  }

  private static Sidecar sidecar(
      CallRecording call,
      FinishReason reason,
      long length,
      List<Span> paused,
      List<Sidecar.Turn> turns) {
    CallInfo info = call.info();
    PcmFormat format = info.format();
    long durationMs = format.millisOf(length);
    Instant endedAt =
        call.end().map(CallEnd::endedAt).orElse(info.startedAt().plusMillis(durationMs));
    return new Sidecar(
        Sidecar.VERSION,
        info.callId(),
        info.tenantId(),
        info.agentProfile(),
        info.source().name(),
        info.externalCallId().orElse(null),
        format.name().toLowerCase(java.util.Locale.ROOT),
        format.sampleRate(),
        Sidecar.Channels.CALLER_AGENT,
        info.startedAt().toString(),
        endedAt.toString(),
        durationMs,
        call.end().map(CallEnd::reason).orElse(null),
        call.end().flatMap(CallEnd::detail).orElse(null),
        call.end().flatMap(CallEnd::transferTarget).orElse(null),
        reason.name(),
        paused.stream().mapToLong(s -> format.millisOf(s.length())).sum(),
        paused.stream()
            .map(s -> new Sidecar.TimeSpan(format.millisOf(s.from()), format.millisOf(s.to())))
            .toList(),
        turns);
  }
}

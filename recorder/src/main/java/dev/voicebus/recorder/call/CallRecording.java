package dev.voicebus.recorder.call;

import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.CallActionKind;
import dev.voicebus.avro.ClearPlayback;
import dev.voicebus.avro.PlaybackMark;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.recorder.audio.ChannelFile;
import dev.voicebus.recorder.timeline.AgentPlacer;
import dev.voicebus.recorder.timeline.CallerPlacement;
import dev.voicebus.recorder.timeline.PauseLog;
import dev.voicebus.recorder.timeline.Span;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One call being recorded: the caller's channel written to disk at its place as frames arrive, the
 * agent's audio spooled to disk until its playback is known, and the small facts that place and cut
 * it (marks, clears, pauses, the end). Memory per call is bounded: audio lives in files; what stays
 * in memory is a few numbers per barge-in and pause, the playback marks (thinned to the ones where
 * playback did not simply run on in real time), and at most {@link Limits#pauseHold()} of caller
 * audio while a pause is open. Caller audio inside a pause never reaches the disk once the pause is
 * known, and what was written before it became known is overwritten with silence then. Owned by one
 * thread (the consumer loop), then handed to the renderer.
 */
public final class CallRecording implements AutoCloseable {

  /** The bounds of one call's recording, in samples of its format. */
  public record Limits(long maxSamples, long jitterSamples, long pauseHoldSamples) {}

  private record Held(long at, byte[] pcm) {}

  private final CallInfo info;
  private final Path directory;
  private final Limits limits;
  private final ChannelFile caller;
  private final AgentSpool agent;
  private final CallerPlacement callerPlacement;
  private final PauseLog pauses = new PauseLog();
  private final Map<String, List<AgentPlacer.Mark>> marks = new HashMap<>();
  private final Map<String, AgentPlacer.ItemClear> itemClears = new HashMap<>();
  private final List<AgentPlacer.Clear> clears = new ArrayList<>();
  private final Set<String> clearIds = new HashSet<>();
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private long heldSamples;
  private long maxAgentSeq = -1;
  private long agentEndHint;
  private long droppedAgentChunks;
  private boolean reachedMax;
  private CallEnd end;

  private CallRecording(CallInfo info, Path directory, Limits limits) throws IOException {
    this.info = info;
    this.directory = directory;
    this.limits = limits;
    this.caller = ChannelFile.create(directory.resolve("caller.pcm"));
    this.agent = new AgentSpool(directory.resolve("agent.spool"));
    this.callerPlacement = new CallerPlacement(limits.jitterSamples());
  }

  /** Starts the recording of {@code info} in a new directory {@code directory}. */
  public static CallRecording start(CallInfo info, Path directory, Limits limits)
      throws IOException {
    Files.createDirectories(directory);
    return new CallRecording(info, directory, limits);
  }

  public CallInfo info() {
    return info;
  }

  /** Samples from the call's start to {@code at}. */
  long timeline(Instant at) {
    return info.format().samplesOf(at.toEpochMilli() - info.startedAt().toEpochMilli());
  }

  /** A caller frame; duplicates (by seq) are dropped. */
  public void onFrame(AudioFrame frame) throws IOException {
    if (!info.format().matches(frame.getCodec())) {
      return;
    }
    byte[] pcm = info.format().toPcm16Le(frame.getPayload());
    long samples = pcm.length / 2;
    var at = callerPlacement.place(frame.getSeq(), timeline(frame.getCapturedAt()), samples);
    if (at.isEmpty()) {
      return;
    }
    long start = at.getAsLong();
    if (start + samples > limits.maxSamples()) {
      reachedMax = true;
      samples = Math.max(0, limits.maxSamples() - start);
    }
    long openSince = pauses.openSince();
    if (openSince >= 0 && start + samples > openSince) {
      hold(start, pcm, samples);
      return;
    }
    maskPaused(start, pcm, samples);
    caller.write(start, pcm, 0, (int) samples * 2);
  }

  /** Frames inside an open pause wait in memory for a resume that may come late; never on disk. */
  private void hold(long start, byte[] pcm, long samples) {
    held.add(new Held(start, Arrays.copyOf(pcm, (int) samples * 2)));
    heldSamples += samples;
    while (heldSamples > limits.pauseHoldSamples() && !held.isEmpty()) {
      heldSamples -= held.removeFirst().pcm().length / 2;
    }
  }

  /** Zeroes, in memory, the samples of {@code pcm} (placed at {@code start}) inside a pause. */
  private void maskPaused(long start, byte[] pcm, long samples) {
    for (Span span : pauses.spans(Long.MAX_VALUE)) {
      if (span.overlaps(start, start + samples)) {
        long from = Math.max(start, span.from()) - start;
        long to = Math.min(start + samples, span.to()) - start;
        Arrays.fill(pcm, (int) from * 2, (int) to * 2, (byte) 0);
      }
    }
  }

  /** A chunk of agent audio as the worker sent it, with the record's timestamp (its send time). */
  public void onAgentAudio(AgentAudio audio, Instant sentAt) throws IOException {
    if (audio.getSeq() <= maxAgentSeq || !info.format().matches(audio.getCodec())) {
      droppedAgentChunks++;
      return;
    }
    maxAgentSeq = audio.getSeq();
    byte[] pcm = info.format().toPcm16Le(audio.getPayload());
    long offset = info.format().samplesOf(audio.getOffsetMs());
    long sent = timeline(sentAt);
    agent.append(
        new AgentPlacer.Chunk(audio.getSeq(), audio.getItemId(), offset, pcm.length / 2, sent),
        pcm);
    agentEndHint = Math.max(agentEndHint, sent);
  }

  /** The worker told ingest to drop the queued agent audio (barge-in). */
  public void onClear(ClearPlayback clear) {
    String id = clear.getItemId() + "@" + clear.getAt().toEpochMilli();
    if (clearIds.add(id)) {
      clears.add(new AgentPlacer.Clear(clear.getItemId(), timeline(clear.getAt()), maxAgentSeq));
    }
  }

  /** Ingest's acknowledgement of what the caller heard. */
  public void onMark(PlaybackMark mark) {
    if (mark.getItemId() == null || mark.getPlayedMs() == null) {
      return;
    }
    long played = info.format().samplesOf(mark.getPlayedMs());
    long at = timeline(mark.getAckedAt());
    if (mark.getCleared()) {
      itemClears.merge(
          mark.getItemId(),
          new AgentPlacer.ItemClear(played, at),
          (a, b) ->
              new AgentPlacer.ItemClear(Math.min(a.heard(), b.heard()), Math.min(a.at(), b.at())));
      return;
    }
    List<AgentPlacer.Mark> item = marks.computeIfAbsent(mark.getItemId(), k -> new ArrayList<>());
    var next = new AgentPlacer.Mark(played, at);
    int size = item.size();
    if (size >= 2) {
      AgentPlacer.Mark last = item.get(size - 1);
      long drift = (next.ackedAt() - last.ackedAt()) - (next.played() - last.played());
      if (next.played() > last.played() && Math.abs(drift) <= limits.jitterSamples() / 2) {
        // The last mark is what real-time playback from the new one predicts: redundant.
        item.set(size - 1, next);
        return;
      }
    }
    item.add(next);
  }

  /** A tool result; OK results with a pause or resume action pause or resume the recording. */
  public void onToolResult(ToolResult result) throws IOException {
    if (result.getStatus() != ToolStatus.OK || result.getAction() == null) {
      return;
    }
    long at = Math.max(0, timeline(result.getCompletedAt()));
    CallActionKind kind = result.getAction().getKind();
    if (kind == CallActionKind.PAUSE_RECORDING) {
      pauses.pause(at);
      long open = pauses.openSince();
      if (open >= 0) {
        holdWritten(open);
      } else {
        silenceWrittenPauses();
      }
    } else if (kind == CallActionKind.RESUME_RECORDING) {
      pauses.resume(at);
      silenceWrittenPauses();
      releaseHeld();
    }
  }

  /**
   * A pause open since {@code from} became known after audio past it was written: that audio leaves
   * the disk at once and waits in memory (its last {@link Limits#pauseHoldSamples()}) for the
   * resume, whose audio after it is then written back.
   */
  private void holdWritten(long from) throws IOException {
    long end = caller.endSample();
    if (end <= from) {
      return;
    }
    long start = Math.max(from, end - limits.pauseHoldSamples());
    ByteBuffer pcm = ByteBuffer.allocate((int) (end - start) * 2);
    caller.read(start, pcm);
    caller.silence(from, end);
    held.addFirst(new Held(start, pcm.array()));
    heldSamples += end - start;
  }

  /** Overwrites with silence what was written inside closed pauses (they arrived late). */
  private void silenceWrittenPauses() throws IOException {
    for (Span span : pauses.spans(caller.endSample())) {
      caller.silence(span.from(), span.to());
    }
  }

  /** After a resume: held frames outside every pause are written, the rest forgotten. */
  private void releaseHeld() throws IOException {
    if (pauses.openSince() >= 0) {
      return;
    }
    while (!held.isEmpty()) {
      Held frame = held.removeFirst();
      maskPaused(frame.at(), frame.pcm(), frame.pcm().length / 2);
      caller.write(frame.at(), frame.pcm(), 0, frame.pcm().length);
    }
    heldSamples = 0;
  }

  public void onEnded(CallEnd ended) {
    this.end = ended;
  }

  public Optional<CallEnd> end() {
    return Optional.ofNullable(end);
  }

  /** Whether the caller's audio reached the maximum call length. */
  public boolean reachedMax() {
    return reachedMax;
  }

  /** The seq of the last caller frame recorded, -1 before the first. */
  public long lastCallerSeq() {
    return callerPlacement.lastSeq();
  }

  long droppedAgentChunks() {
    return droppedAgentChunks;
  }

  Limits limits() {
    return limits;
  }

  ChannelFile caller() {
    return caller;
  }

  AgentSpool agent() {
    return agent;
  }

  PauseLog pauses() {
    return pauses;
  }

  /** The agent placer for this call's marks and clears, for the rendering. */
  AgentPlacer agentPlacer() {
    return new AgentPlacer(marks, itemClears, clears, limits.jitterSamples());
  }

  long agentEndHint() {
    return agentEndHint;
  }

  Path directory() {
    return directory;
  }

  /** Deletes the call's working files (after rendering, or when the call is dropped). */
  @Override
  public void close() throws IOException {
    try {
      caller.delete();
    } finally {
      try {
        agent.delete();
      } finally {
        Files.deleteIfExists(directory);
      }
    }
  }
}

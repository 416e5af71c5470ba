package dev.voicebus.worker.session;

import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallActionKind;
import dev.voicebus.avro.ErrorSource;
import dev.voicebus.avro.PlaybackMark;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.avro.SessionReconnect;
import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.TranscriptKind;
import dev.voicebus.realtime.client.RealtimeConnection;
import dev.voicebus.realtime.client.RealtimeListener;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ConversationItem;
import dev.voicebus.realtime.event.RealtimeError;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.worker.output.Records;
import dev.voicebus.worker.state.CallState;
import dev.voicebus.worker.state.ConversationEntry;
import dev.voicebus.worker.state.EntryKind;
import dev.voicebus.worker.state.PendingTool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live call's Realtime session. It opens the socket, sends the profile's {@code
 * session.update}, replays the conversation after a reconnect or failover, forwards the caller's
 * audio in order, and turns server events into transcripts, agent audio, tool calls and session
 * events. Commands arrive from the worker's stream thread and server events from the socket's event
 * loop; every method is synchronized, and no method blocks. Durable changes (turns, tool calls,
 * usage) are handed to the owner's state store through {@code stateSink}.
 */
public final class LiveCall {

  /** Typical speech rate of Realtime voices (about 15 characters per second). */
  private static final long SPOKEN_MS_PER_CHAR = 65;

  private static final Logger log = LoggerFactory.getLogger(LiveCall.class);
  private static final Set<String> FATAL_CODES =
      Set.of(
          "invalid_api_key",
          "insufficient_quota",
          "account_deactivated",
          "billing_hard_limit_reached");
  private static final Set<String> BENIGN_CODES =
      Set.of("response_cancel_not_active", "input_audio_buffer_commit_empty");

  enum Phase {
    CONNECTING,
    OPEN,
    RECONNECTING,
    ENDED
  }

  private final CallContext call;
  private final SessionRuntime rt;
  private final Consumer<Consumer<CallState>> stateSink;
  private final ResponseGate gate = new ResponseGate();
  private final PlaybackTracker playback = new PlaybackTracker();
  private final ArrayDeque<byte[]> bufferedAudio = new ArrayDeque<>();
  private final List<ConversationEntry> entries;
  private final Map<String, ScheduledFuture<?>> pendingTools = new HashMap<>();
  private final Map<String, Long> toolAskedNanos = new HashMap<>();
  private final Set<String> settledTools;
  private final Map<String, Long> agentItemMs = new HashMap<>();
  private final Map<String, String> agentTranscripts = new HashMap<>();
  private final Map<String, StringBuilder> agentPartials = new HashMap<>();

  private final Map<String, Integer> callerSpeechStart = new HashMap<>();
  private final Map<String, Integer> callerSpeechEnd = new HashMap<>();
  private final Set<String> interruptedItems = new HashSet<>();
  private final String resumeReason;

  private Phase phase = Phase.CONNECTING;
  private RealtimeConnection connection;
  private int generation;
  private String sessionId;
  private long agentAudioSeq;
  private int reconnectAttempt;
  private Instant droppedAt;
  private boolean hangupAfterResponse;
  private boolean responseOwed;
  private boolean callerSpeaking;
  private boolean rotationDue;
  private boolean rotating;
  private ScheduledFuture<?> rotationTimer;
  private Integer lastCloseCode;
  private String lastCloseReason;
  private ScheduledFuture<?> maxDurationTimer;

  private LiveCall(
      CallContext call,
      SessionRuntime rt,
      CallState state,
      String resumeReason,
      Consumer<Consumer<CallState>> sink) {
    this.call = call;
    this.rt = rt;
    this.stateSink = sink;
    this.entries = new ArrayList<>(state.getEntries());
    this.settledTools = new HashSet<>(state.getSettledTools());
    this.resumeReason = resumeReason;
    this.responseOwed = state.getResponseOwed();
  }

  /**
   * Opens the session for a call. With a {@code resumeReason} (failover, hand-over), the stored
   * conversation is replayed and pending tool calls keep their deadlines.
   */
  public static LiveCall open(
      CallContext call,
      SessionRuntime rt,
      CallState state,
      String resumeReason,
      Consumer<Consumer<CallState>> sink) {
    var live = new LiveCall(call, rt, state, resumeReason, sink);
    synchronized (live) {
      if (resumeReason != null) {
        live.droppedAt = live.now();
      }
      live.restorePendingTools(state.getPendingTools());
      live.armMaxDuration();
      live.connect();
    }
    return live;
  }

  public String callId() {
    return call.callId();
  }

  // ---- commands from the stream thread ----

  /** The caller's next audio chunk, already checked for order by seq. */
  public synchronized void appendAudio(byte[] payload, Duration sinceProduced) {
    log.trace("[{}] append {} bytes in phase {}", call.callId(), payload.length, phase);
    if (phase == Phase.OPEN) {
      connection.send(ClientEvent.InputAudioBufferAppend.of(payload));
      rt.metrics().frameForwarded(sinceProduced);
    } else if (phase != Phase.ENDED) {
      if (bufferedAudio.size() >= rt.maxBufferedFrames()) {
        bufferedAudio.pollFirst();
        rt.metrics().audioGap();
      }
      bufferedAudio.addLast(payload);
    }
  }

  public synchronized void onToolResult(ToolResult result) {
    String id = result.getToolCallId();
    ScheduledFuture<?> timer = pendingTools.remove(id);
    if (timer == null) {
      String code = settledTools.contains(id) ? "late_tool_result" : "unknown_tool_result";
      publish(
          Records.error(
              call.callId(),
              sessionId,
              ErrorSource.TOOL,
              code,
              "Dropped result of tool call "
                  + id
                  + " ("
                  + result.getName()
                  + "): it was already settled or never asked for",
              false,
              now()));
      return;
    }
    timer.cancel(false);
    var action = result.getStatus() == ToolStatus.OK ? result.getAction() : null;
    boolean hangup = action != null && action.getKind() == CallActionKind.HANGUP;
    if (action != null && action.getKind() == CallActionKind.TRANSFER) {
      publish(
          Records.error(
              call.callId(),
              sessionId,
              ErrorSource.WORKER,
              "transfer_unsupported",
              "Transfer to "
                  + action.getTarget()
                  + " asked by "
                  + result.getName()
                  + " is not carried out: this worker cannot transfer calls yet",
              false,
              now()));
      settleTool(
          id,
          "{\"error\":\"transfer_unsupported\",\"message\":\"The transfer could not be made. Tell the caller and offer to help otherwise.\"}");
    } else {
      settleTool(id, result.getOutputJson());
    }
    Long asked = toolAskedNanos.remove(id);
    if (asked != null) {
      rt.metrics()
          .toolRoundTrip(Duration.ofNanos(System.nanoTime() - asked), result.getDurationMs());
    }
    if (hangup) {
      hangupAfterResponse = true;
    }
  }

  public synchronized void onPlaybackMark(PlaybackMark mark) {
    if (mark.getItemId() != null && mark.getPlayedMs() != null && !mark.getCleared()) {
      playback.onPlayed(mark.getItemId(), mark.getPlayedMs());
    }
  }

  /** The call ended (caller hung up, or ingest reports the agent's hang-up): close for good. */
  public synchronized void end(String reason, CallState finalState) {
    if (phase == Phase.ENDED) {
      return;
    }
    shutDown(1000, "call ended");
    long durationMs = Duration.between(call.startedAt(), now()).toMillis();
    publish(
        Records.lifecycle(
            call.callId(), sessionId, SessionPhase.CLOSED, call.profile().model(), reason, now()));
    publish(
        Records.summary(
            call.callId(),
            sessionId,
            reason,
            durationMs,
            finalState.getTurns(),
            finalState.getToolCalls(),
            finalState.getReconnects(),
            finalState.getUsage(),
            now()));
    log.info("[{}] Call ended ({}), {} turns", call.callId(), reason, finalState.getTurns());
  }

  /**
   * This worker no longer owns the call (rebalance, shutdown): close the session without ending the
   * call, and say so on session.events (CLOSED, detail "handed over"). A line the agent was
   * speaking is settled as interrupted, and the new owner asks for a response after its replay.
   */
  public synchronized void handOver() {
    if (phase != Phase.ENDED) {
      settleInterruptedResponse();
      shutDown(1001, "call handed over to another worker");
      publish(
          Records.lifecycle(
              call.callId(),
              sessionId,
              SessionPhase.CLOSED,
              call.profile().model(),
              "handed over",
              now()));
      log.info("[{}] Session handed over", call.callId());
    }
  }

  // ---- connection lifecycle ----

  private void connect() {
    int myGeneration = ++generation;
    rt.realtime()
        .connect(call.profile().model(), new Listener(myGeneration))
        .whenComplete((conn, error) -> onConnected(myGeneration, conn, error));
  }

  private synchronized void onConnected(
      int myGeneration, RealtimeConnection conn, Throwable error) {
    if (phase == Phase.ENDED || myGeneration != generation) {
      if (conn != null) {
        conn.close(1000, "no longer needed");
      }
      return;
    }
    if (error != null) {
      log.warn("[{}] Realtime connect failed: {}", call.callId(), error.getMessage());
      scheduleReconnect("connect failed: " + error.getMessage(), null, isFatalHandshake(error));
      return;
    }
    connection = conn;
    connection.send(
        new ClientEvent.SessionUpdate(SessionConfigs.forCall(call.profile(), call.codec())));
    int replayed = 0;
    if (droppedAt != null) {
      log.info(
          "[{}] Replaying {}",
          call.callId(),
          entries.stream().map(e -> e.getKind().toString()).toList());
      for (ClientEvent event : ConversationReplay.events(entries)) {
        connection.send(event);
        replayed++;
      }
    }
    phase = Phase.OPEN;
    while (!bufferedAudio.isEmpty()) {
      connection.send(ClientEvent.InputAudioBufferAppend.of(bufferedAudio.pollFirst()));
    }
    if (droppedAt != null) {
      reportReconnect(replayed);
    }
    reconnectAttempt = 0;
    armRotation();
    if (responseOwed) {
      log.info("[{}] Asking the new session for the response owed since the break", call.callId());
      responseOwed = false;
      stateSink.accept(s -> s.setResponseOwed(false));
      gate.reset();
      if (gate.requestCreate()) {
        connection.send(new ClientEvent.ResponseCreate());
      }
    }
  }

  private void reportReconnect(int replayed) {
    long gapMs = Duration.between(droppedAt, now()).toMillis();
    String reason =
        rotating
            ? "proactive rotation"
            : resumeReason != null && lastCloseCode == null && reconnectAttempt <= 1
                ? resumeReason
                : "socket closed" + (lastCloseReason == null ? "" : ": " + lastCloseReason);
    rotating = false;
    publish(
        new SessionEvent(
            call.callId(),
            sessionId,
            now(),
            new SessionReconnect(
                reason, lastCloseCode, Math.max(1, reconnectAttempt), gapMs, replayed)));
    stateSink.accept(s -> s.setReconnects(s.getReconnects() + 1));
    rt.metrics().reconnect();
    droppedAt = null;
    lastCloseCode = null;
    lastCloseReason = null;
    log.info(
        "[{}] Session re-established after {} ms, {} items replayed",
        call.callId(),
        gapMs,
        replayed);
  }

  private synchronized void onSocketClosed(int myGeneration, int code, String reason) {
    if (phase == Phase.ENDED || myGeneration != generation) {
      return;
    }
    log.warn("[{}] Realtime socket closed: {} {}", call.callId(), code, reason);
    lastCloseCode = code;
    lastCloseReason = reason;
    scheduleReconnect(reason, code, false);
  }

  private void scheduleReconnect(String reason, Integer closeCode, boolean fatal) {
    settleInterruptedResponse();
    gate.reset();
    phase = Phase.RECONNECTING;
    connection = null;
    if (droppedAt == null) {
      droppedAt = now();
    }
    reconnectAttempt++;
    if (fatal || reconnectAttempt > rt.reconnectBackoff().maxAttempts()) {
      fail("realtime_unavailable", "Realtime session lost and not recoverable: " + reason);
      return;
    }
    Duration delay = rt.reconnectBackoff().delay(reconnectAttempt);
    rt.timers().schedule(this::reconnectNow, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void reconnectNow() {
    if (phase == Phase.RECONNECTING) {
      connect();
    }
  }

  /** A response that was being spoken when the socket broke is over: nothing more of it plays. */
  /**
   * The socket went while the agent was speaking: the response will never finish. What the caller
   * was sent of it is settled as an interrupted turn (transcript and conversation entry, so the
   * replay carries it), and the new session owes the caller a response so the agent goes on.
   */
  private void settleInterruptedResponse() {
    String item = playback.itemId();
    if (gate.state() != ResponseGate.State.ACTIVE || item == null) {
      return;
    }
    log.info(
        "[{}] Agent cut off mid-response ({}); settling it as interrupted", call.callId(), item);
    interruptedItems.add(item);
    long received = agentItemMs.getOrDefault(item, 0L);
    long total = received;
    if (!agentTranscripts.containsKey(item)) {
      StringBuilder partial = agentPartials.remove(item);
      String text = partial == null ? "" : partial.toString();
      agentTranscripts.put(item, text);
      // The transcript runs ahead of the audio and the response never finished, so its length is
      // unknown: estimate it from the text at a typical speaking pace.
      total = Math.max(received, text.length() * SPOKEN_MS_PER_CHAR);
    }
    publishInterruptedTranscript(item, (int) Math.min(playback.sentMs(), received), total);
    responseOwed = true;
    stateSink.accept(s -> s.setResponseOwed(true));
  }

  /** Starts the clock towards a proactive rotation of the session just opened. */
  private void armRotation() {
    if (rotationTimer != null) {
      rotationTimer.cancel(false);
    }
    rotationDue = false;
    rotationTimer =
        rt.timers()
            .schedule(
                this::rotationTimeReached, rt.rotateAfter().toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void rotationTimeReached() {
    rotationDue = true;
    maybeRotate();
  }

  /**
   * Replaces the session before the server's cap ends it, but only between turns: no response
   * active, nothing of the agent's audio still playing, the caller not speaking. Otherwise it
   * checks again shortly.
   */
  private void maybeRotate() {
    if (!rotationDue || phase != Phase.OPEN) {
      return;
    }
    boolean betweenTurns =
        gate.state() == ResponseGate.State.IDLE && !playback.isPlaying() && !callerSpeaking;
    if (!betweenTurns) {
      rt.timers().schedule(this::rotationTimeReached, 250, TimeUnit.MILLISECONDS);
      return;
    }
    rotationDue = false;
    rotating = true;
    droppedAt = now();
    gate.reset();
    phase = Phase.RECONNECTING;
    RealtimeConnection old = connection;
    connection = null;
    old.close(1000, "rotating the session before its maximum duration");
    log.info("[{}] Rotating the Realtime session between turns", call.callId());
    connect();
  }

  private void shutDown(int code, String reason) {
    if (rotationTimer != null) {
      rotationTimer.cancel(false);
    }
    phase = Phase.ENDED;
    pendingTools.values().forEach(t -> t.cancel(false));
    if (maxDurationTimer != null) {
      maxDurationTimer.cancel(false);
    }
    if (connection != null) {
      connection.close(code, reason);
      connection = null;
    }
  }

  /** Ends the call from the agent's side: tells the caller's ingest node to hang up. */
  private void fail(String code, String message) {
    publish(
        Records.error(call.callId(), sessionId, ErrorSource.WORKER, code, message, true, now()));
    sendToCaller(Records.hangup(call.callId(), code, now()));
    shutDown(1000, code);
    log.warn("[{}] Ending call: {}", call.callId(), message);
  }

  private void armMaxDuration() {
    Duration left = rt.maxCallDuration().minus(Duration.between(call.startedAt(), now()));
    maxDurationTimer =
        rt.timers()
            .schedule(
                this::maxDurationReached, Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS);
  }

  private synchronized void maxDurationReached() {
    if (phase != Phase.ENDED) {
      fail("max_call_duration", "The call reached the maximum duration of " + rt.maxCallDuration());
    }
  }

  // ---- server events ----

  private synchronized void onServerEvent(int myGeneration, ServerEvent event) {
    if (phase == Phase.ENDED || myGeneration != generation) {
      return;
    }
    try {
      ServerEvents.dispatch(this, event);
    } catch (RuntimeException e) {
      log.error("[{}] Failed to handle {}", call.callId(), event.type(), e);
    }
  }

  void onSessionCreated(ServerEvent.SessionCreated created) {
    sessionId = created.session() == null ? null : created.session().id();
    String id = sessionId;
    stateSink.accept(s -> s.setSessionId(id));
    publish(
        Records.lifecycle(
            call.callId(), sessionId, SessionPhase.CREATED, call.profile().model(), null, now()));
  }

  void onSessionUpdated(ServerEvent.SessionUpdated updated) {
    var wanted = SessionConfigs.format(call.codec());
    var audio = updated.session() == null ? null : updated.session().audio();
    var got = audio == null || audio.output() == null ? null : audio.output().format();
    if (got != null && !wanted.type().equals(got.type())) {
      fail(
          "audio_format_mismatch",
          "The session's output format is " + got.type() + " but the call needs " + wanted.type());
      return;
    }
    publish(
        Records.lifecycle(
            call.callId(), sessionId, SessionPhase.UPDATED, call.profile().model(), null, now()));
  }

  void onSpeechStarted(ServerEvent.InputAudioBufferSpeechStarted started) {
    callerSpeaking = true;
    callerSpeechStart.put(started.itemId(), started.audioStartMs());
    boolean agentSpeaking = gate.state() == ResponseGate.State.ACTIVE || playback.isPlaying();
    if (!agentSpeaking || playback.itemId() == null) {
      return;
    }
    String item = playback.itemId();
    rt.metrics().bargeIn();
    sendToCaller(Records.clear(call.callId(), item, now()));
    var point = playback.truncationPoint();
    point.ifPresent(ms -> send(new ClientEvent.ConversationItemTruncate(null, item, 0, ms)));
    playback.onCleared();
    interruptedItems.add(item);
    var turn = call.profile().turnDetection();
    if (Boolean.FALSE.equals(turn.interruptResponse())
        && gate.state() == ResponseGate.State.ACTIVE) {
      send(new ClientEvent.ResponseCancel());
    }
    if (agentTranscripts.containsKey(item)) {
      publishInterruptedTranscript(item, point.orElse(0));
    }
  }

  void onSpeechStopped(ServerEvent.InputAudioBufferSpeechStopped stopped) {
    callerSpeaking = false;
    callerSpeechEnd.put(stopped.itemId(), stopped.audioEndMs());
  }

  void onCallerTranscriptDelta(ServerEvent.InputAudioTranscriptionDelta delta) {
    publish(
        Records.transcript(
            call.callId(),
            delta.itemId(),
            Speaker.CALLER,
            TranscriptKind.DELTA,
            delta.delta(),
            now()));
  }

  void onCallerTranscriptDone(ServerEvent.InputAudioTranscriptionCompleted done) {
    Integer start = callerSpeechStart.remove(done.itemId());
    Integer end = callerSpeechEnd.remove(done.itemId());
    publish(
        TranscriptEvent.newBuilder(
                Records.transcript(
                    call.callId(),
                    done.itemId(),
                    Speaker.CALLER,
                    TranscriptKind.FINAL,
                    done.transcript(),
                    now()))
            .setAudioStartMs(start == null ? null : start.longValue())
            .setAudioEndMs(end == null ? null : end.longValue())
            .build());
    addEntry(entry(EntryKind.CALLER, done.itemId(), done.transcript(), null, null));
    var usage = done.usage();
    if (usage != null && usage.seconds() != null) {
      double cost = rt.prices().transcriptionCost(usage.seconds());
      publish(Records.transcriptionUsage(call.callId(), sessionId, usage.seconds(), cost, now()));
      stateSink.accept(s -> s.getUsage().setCostUsd(s.getUsage().getCostUsd() + cost));
    }
  }

  void onResponseCreated(ServerEvent.ResponseCreated created) {
    gate.onCreated(created.response() == null ? null : created.response().id());
  }

  void onAgentAudio(ServerEvent.ResponseOutputAudioDelta delta) {
    byte[] payload = delta.deltaBytes();
    long offset = agentItemMs.getOrDefault(delta.itemId(), 0L);
    AudioOut out =
        Records.agentAudio(
            call.callId(),
            agentAudioSeq++,
            delta.itemId(),
            delta.responseId(),
            offset,
            payload,
            call.codec());
    long durationMs = (long) (payload.length / Records.bytesPerMs(call.codec()));
    agentItemMs.put(delta.itemId(), offset + durationMs);
    playback.onAudioSent(delta.itemId(), durationMs);
    sendToCaller(out);
  }

  void onAgentTranscriptDelta(String responseId, String itemId, String text) {
    agentPartials.computeIfAbsent(itemId, k -> new StringBuilder()).append(text);
    publish(
        TranscriptEvent.newBuilder(
                Records.transcript(
                    call.callId(), itemId, Speaker.AGENT, TranscriptKind.DELTA, text, now()))
            .setResponseId(responseId)
            .build());
  }

  void onAgentTranscriptDone(String responseId, String itemId, String transcript) {
    agentPartials.remove(itemId);
    agentTranscripts.put(itemId, transcript);
    publish(
        TranscriptEvent.newBuilder(
                Records.transcript(
                    call.callId(), itemId, Speaker.AGENT, TranscriptKind.FINAL, transcript, now()))
            .setResponseId(responseId)
            .setAudioStartMs(0L)
            .setAudioEndMs(agentItemMs.getOrDefault(itemId, 0L))
            .build());
    if (interruptedItems.contains(itemId)) {
      publishInterruptedTranscript(
          itemId, (int) Math.min(playback.sentMs(), agentItemMs.getOrDefault(itemId, 0L)));
    } else {
      addEntry(entry(EntryKind.AGENT, itemId, transcript, null, null));
    }
  }

  /**
   * What the caller heard of an interrupted agent item: its transcript cut at the heard fraction.
   */
  private void publishInterruptedTranscript(String itemId, int heardMs) {
    publishInterruptedTranscript(itemId, heardMs, agentItemMs.getOrDefault(itemId, 0L));
  }

  private void publishInterruptedTranscript(String itemId, int heardMs, long total) {
    String full = agentTranscripts.getOrDefault(itemId, "");
    String heard = Transcripts.heardPart(full, heardMs, total);
    publish(
        TranscriptEvent.newBuilder(
                Records.transcript(
                    call.callId(), itemId, Speaker.AGENT, TranscriptKind.FINAL, heard, now()))
            .setInterrupted(true)
            .setAudioStartMs(0L)
            .setAudioEndMs((long) heardMs)
            .build());
    replaceAgentEntry(itemId, heard);
  }

  void onFunctionCall(ServerEvent.ResponseFunctionCallArgumentsDone done) {
    Instant deadline = now().plus(call.profile().toolTimeout());
    var toolCall =
        ToolCall.newBuilder()
            .setCallId(call.callId())
            .setToolCallId(done.callId())
            .setName(done.name())
            .setArgumentsJson(done.arguments() == null ? "{}" : done.arguments())
            .setDeadline(deadline)
            .setRequestedAt(now())
            .setTenantId(call.tenantId())
            .setResponseId(done.responseId())
            .setItemId(done.itemId())
            .build();
    toolAskedNanos.put(done.callId(), System.nanoTime());
    rt.out().toolCall(toolCall);
    addEntry(
        entry(
            EntryKind.TOOL_CALL,
            done.itemId(),
            toolCall.getArgumentsJson(),
            done.callId(),
            done.name()));
    var pending = new PendingTool(done.callId(), done.name(), deadline.toEpochMilli());
    stateSink.accept(
        s -> {
          s.getPendingTools().add(pending);
          s.setToolCalls(s.getToolCalls() + 1);
        });
    armToolDeadline(done.callId(), done.name(), Duration.between(now(), deadline));
  }

  void onResponseDone(ServerEvent.ResponseDone done) {
    var response = done.response();
    if (response != null && response.usage() != null) {
      double cost = rt.prices().cost(response.usage());
      var tokens = Records.tokens(response.usage());
      publish(
          Records.usage(call.callId(), sessionId, response.id(), response.usage(), cost, now()));
      stateSink.accept(
          s -> {
            Records.addTo(s.getUsage(), tokens, cost);
            s.setTurns(s.getTurns() + 1);
          });
    }
    if (response != null
        && "failed".equals(response.status())
        && response.statusDetails() != null
        && response.statusDetails().error() != null) {
      publish(
          Records.realtimeError(
              call.callId(), sessionId, response.statusDetails().error(), false, now()));
    }
    if (gate.onDone()) {
      send(new ClientEvent.ResponseCreate());
    } else if (hangupAfterResponse && pendingTools.isEmpty()) {
      hangupAfterResponse = false;
      sendToCaller(Records.hangup(call.callId(), "agent ended the call", now()));
    }
  }

  void onError(RealtimeError error) {
    String code = error.code() == null ? "" : error.code();
    if ("conversation_already_has_active_response".equals(code)) {
      gate.onAlreadyActive();
    } else if (BENIGN_CODES.contains(code)) {
      log.debug("[{}] Benign Realtime error {}", call.callId(), code);
      return;
    }
    boolean fatal = FATAL_CODES.contains(code);
    publish(Records.realtimeError(call.callId(), sessionId, error, fatal, now()));
    if (fatal) {
      fail(code, "Realtime refused the session: " + error.message());
    }
  }

  void onRateLimits(ServerEvent.RateLimitsUpdated limits) {
    if (limits.rateLimits() != null) {
      publish(Records.rateLimits(call.callId(), sessionId, limits.rateLimits(), now()));
    }
  }

  // ---- tools ----

  private void restorePendingTools(List<PendingTool> pending) {
    for (PendingTool tool : pending) {
      if (!settledTools.contains(tool.getToolCallId())) {
        Duration left = Duration.ofMillis(tool.getDeadlineMs() - now().toEpochMilli());
        armToolDeadline(tool.getToolCallId(), tool.getName(), left);
      }
    }
  }

  private void armToolDeadline(String toolCallId, String name, Duration left) {
    pendingTools.put(
        toolCallId,
        rt.timers()
            .schedule(
                () -> toolDeadlinePassed(toolCallId, name),
                Math.max(0, left.toMillis()),
                TimeUnit.MILLISECONDS));
  }

  private synchronized void toolDeadlinePassed(String toolCallId, String name) {
    if (phase == Phase.ENDED || pendingTools.remove(toolCallId) == null) {
      return;
    }
    rt.metrics().toolTimeout();
    publish(
        Records.error(
            call.callId(),
            sessionId,
            ErrorSource.TOOL,
            "tool_timeout",
            "Tool " + name + " (" + toolCallId + ") did not answer before its deadline",
            false,
            now()));
    settleTool(
        toolCallId,
        "{\"error\":\"timeout\",\"message\":\"The "
            + name
            + " tool did not answer in time. Apologise briefly and offer to try again or help otherwise.\"}");
  }

  /** Gives the model a tool's output (or timeout) and asks it to go on speaking. */
  private void settleTool(String toolCallId, String outputJson) {
    settledTools.add(toolCallId);
    send(
        new ClientEvent.ConversationItemCreate(
            ConversationItem.functionCallOutput(toolCallId, outputJson)));
    addEntry(entry(EntryKind.TOOL_OUTPUT, null, outputJson, toolCallId, null));
    stateSink.accept(
        s -> {
          s.getPendingTools().removeIf(p -> p.getToolCallId().equals(toolCallId));
          s.getSettledTools().add(toolCallId);
        });
    if (gate.requestCreate()) {
      send(new ClientEvent.ResponseCreate());
    }
  }

  // ---- helpers ----

  private void addEntry(ConversationEntry entry) {
    entries.add(entry);
    stateSink.accept(s -> s.getEntries().add(ConversationEntry.newBuilder(entry).build()));
  }

  private void replaceAgentEntry(String itemId, String text) {
    entries.removeIf(e -> e.getKind() == EntryKind.AGENT && itemId.equals(e.getItemId()));
    entries.add(entry(EntryKind.AGENT, itemId, text, null, null));
    stateSink.accept(
        s -> {
          s.getEntries()
              .removeIf(e -> e.getKind() == EntryKind.AGENT && itemId.equals(e.getItemId()));
          s.getEntries().add(entry(EntryKind.AGENT, itemId, text, null, null));
        });
  }

  private static ConversationEntry entry(
      EntryKind kind, String itemId, String text, String toolCallId, String toolName) {
    return new ConversationEntry(kind, itemId, text == null ? "" : text, toolCallId, toolName);
  }

  private void send(ClientEvent event) {
    if (phase == Phase.OPEN && connection != null) {
      connection.send(event);
    } else if (event instanceof ClientEvent.ResponseCreate) {
      // The new session gets it after the replay, so the caller is not left in silence.
      log.info(
          "[{}] response.create while the session is {}: owed to the next one",
          call.callId(),
          phase);
      responseOwed = true;
      stateSink.accept(st -> st.setResponseOwed(true));
    }
  }

  private void sendToCaller(AudioOut out) {
    rt.out().audioOut(call.replyTopic(), call.replyPartition(), call.callId(), out);
  }

  private void publish(SessionEvent event) {
    rt.out().sessionEvent(event);
  }

  private void publish(TranscriptEvent event) {
    rt.out().transcript(event);
  }

  private Instant now() {
    return rt.clock().instant();
  }

  private static boolean isFatalHandshake(Throwable error) {
    String message = String.valueOf(error.getMessage());
    return message.contains("401") || message.contains("403");
  }

  /** Receives one connection's callbacks; events from a replaced connection are ignored. */
  private final class Listener implements RealtimeListener {
    private final int myGeneration;

    Listener(int myGeneration) {
      this.myGeneration = myGeneration;
    }

    @Override
    public void onEvent(ServerEvent event) {
      onServerEvent(myGeneration, event);
    }

    @Override
    public void onClose(int code, String reason) {
      onSocketClosed(myGeneration, code, reason);
    }

    @Override
    public void onError(Throwable error) {
      log.warn("[{}] Realtime socket error: {}", call.callId(), error.toString());
    }
  }
}

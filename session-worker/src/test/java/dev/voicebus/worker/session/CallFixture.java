package dev.voicebus.worker.session;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallAction;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.PlaybackMark;
import dev.voicebus.avro.ReplyRoute;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.observability.trace.Tracing;
import dev.voicebus.realtime.client.CloseStatus;
import dev.voicebus.realtime.client.RealtimeConnection;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.RealtimeResponse;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.realtime.event.Usage;
import dev.voicebus.worker.config.AgentProfile;
import dev.voicebus.worker.config.Backoff;
import dev.voicebus.worker.config.CallSettings;
import dev.voicebus.worker.config.ProfileCatalog;
import dev.voicebus.worker.cost.PriceBook;
import dev.voicebus.worker.metrics.WorkerMetrics;
import dev.voicebus.worker.state.CallState;
import dev.voicebus.worker.state.CallStates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One call's coordinator with plain inputs: a clock the test moves, fake Realtime connections that
 * do nothing (effects name them), the bundled test profiles, and helpers that build server events
 * and pick effects out of a result. No sockets, broker or wall clock.
 */
public final class CallFixture {

  public static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final CallSettings SETTINGS =
      new CallSettings(
          Duration.ofHours(2),
          Duration.ofSeconds(60),
          Duration.ofMinutes(50),
          500,
          new Backoff(Duration.ofMillis(200), Duration.ofSeconds(8), 3),
          Duration.ofSeconds(20),
          java.util.Optional.empty(),
          PriceBook.DEFAULT);

  final MovableClock clock = new MovableClock(T0);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final CallCoordinator call;
  final AgentProfile profile;
  final List<Effect> all = new ArrayList<>();

  CallFixture(String profileId) {
    this(profileId, SETTINGS);
  }

  CallFixture(String profileId, CallSettings settings) {
    this(profiles().find(profileId).orElseThrow(), settings);
  }

  CallFixture(AgentProfile profile, CallSettings settings) {
    this(profile, settings, CallSource.TWILIO);
  }

  CallFixture(AgentProfile profile, CallSettings settings, CallSource source) {
    this(profile, settings, source, started(), Tracing.off());
  }

  /** A support call OpenAI carries (SIP), known to OpenAI as {@link #OPENAI_CALL_ID}. */
  static CallFixture sip() {
    return new CallFixture(
        profiles().find("support").orElseThrow(),
        SETTINGS,
        CallSource.SIP,
        started(),
        Tracing.off());
  }

  static final String OPENAI_CALL_ID = "rtc_test1";

  /** A support call whose spans go to {@code tracing}, started with {@code state}. */
  CallFixture(CallState state, Tracing tracing) {
    this(profiles().find("support").orElseThrow(), SETTINGS, CallSource.TWILIO, state, tracing);
  }

  private CallFixture(
      AgentProfile profile,
      CallSettings settings,
      CallSource source,
      CallState state,
      Tracing tracing) {
    this.profile = profile;
    var context =
        new CallContext(
            "call-1",
            "acme",
            profile,
            AudioCodec.PCMU,
            "voicebus.audio.out",
            3,
            T0,
            source,
            source == CallSource.SIP ? OPENAI_CALL_ID : null);
    this.call =
        new CallCoordinator(context, state, settings, clock, new WorkerMetrics(registry), tracing);
  }

  public static CallState started() {
    return started(null);
  }

  /** A fresh call's state; {@code traceparent} names ingest's span of it (may be null). */
  public static CallState started(String traceparent) {
    return CallStates.started(
        CallStarted.newBuilder()
            .setCallId("call-1")
            .setTenantId("acme")
            .setAgentProfile("support")
            .setSource(CallSource.TWILIO)
            .setCodec(AudioCodec.PCMU)
            .setSampleRate(8000)
            .setCallerMetadata(Map.of())
            .setReplyRoute(new ReplyRoute("voicebus.audio.out", 3))
            .setStartedAt(T0)
            .build(),
        traceparent);
  }

  public static ProfileCatalog profiles() {
    try {
      return ProfileCatalog.load(
          Optional.of(Path.of(CallFixture.class.getResource("/test-profiles.json").toURI())));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Records what a step decided and returns it. */
  List<Effect> step(List<Effect> effects) {
    all.addAll(effects);
    return effects;
  }

  /** Starts the call and opens its first session on {@code connection}. */
  List<Effect> open(FakeConnection connection) {
    step(call.start(Optional.empty()));
    return step(call.onSessionOpened(1, connection));
  }

  List<Effect> server(int generation, ServerEvent event) {
    return step(call.onServerEvent(generation, event));
  }

  /** The agent starts response {@code responseId} and sends {@code ms} of audio for its item. */
  void agentSpeaks(int generation, String responseId, String itemId, int ms) {
    server(generation, responseCreated(responseId));
    for (int sent = 0; sent < ms; sent += 200) {
      server(generation, audio(responseId, itemId, Math.min(200, ms - sent)));
    }
  }

  // ---- server events ----

  static ServerEvent.ResponseCreated responseCreated(String id) {
    return new ServerEvent.ResponseCreated("e", response(id, "in_progress", null));
  }

  static ServerEvent.ResponseDone responseDone(String id) {
    var usage =
        new Usage(
            120,
            100,
            20,
            new Usage.InputTokenDetails(0, 40, 0, 60, null),
            new Usage.OutputTokenDetails(5, 15));
    return new ServerEvent.ResponseDone("e", response(id, "completed", usage));
  }

  static RealtimeResponse response(String id, String status, Usage usage) {
    return new RealtimeResponse(
        id, "realtime.response", status, null, List.of(), null, null, usage, null, null, null);
  }

  /** {@code ms} of mu-law audio (8 bytes per ms). */
  static ServerEvent.ResponseOutputAudioDelta audio(String responseId, String itemId, int ms) {
    return new ServerEvent.ResponseOutputAudioDelta(
        "e", responseId, itemId, 0, 0, Base64.getEncoder().encodeToString(new byte[ms * 8]));
  }

  static ServerEvent.ResponseOutputAudioTranscriptDelta agentDelta(
      String responseId, String itemId, String text) {
    return new ServerEvent.ResponseOutputAudioTranscriptDelta("e", responseId, itemId, 0, 0, text);
  }

  static ServerEvent.ResponseOutputAudioTranscriptDone agentDone(
      String responseId, String itemId, String text) {
    return new ServerEvent.ResponseOutputAudioTranscriptDone("e", responseId, itemId, 0, 0, text);
  }

  static ServerEvent.InputAudioBufferSpeechStarted speechStarted(String itemId) {
    return new ServerEvent.InputAudioBufferSpeechStarted("e", 1000, itemId);
  }

  static ServerEvent.InputAudioBufferSpeechStopped speechStopped(String itemId) {
    return new ServerEvent.InputAudioBufferSpeechStopped("e", 1800, itemId);
  }

  static ServerEvent.InputAudioTranscriptionCompleted callerSaid(String itemId, String text) {
    return new ServerEvent.InputAudioTranscriptionCompleted("e", itemId, 0, text, null, null, null);
  }

  static ServerEvent.ResponseFunctionCallArgumentsDone functionCall(
      String toolCallId, String name, String arguments) {
    return new ServerEvent.ResponseFunctionCallArgumentsDone(
        "e", "resp_t", "item_t", 0, toolCallId, name, arguments);
  }

  static ToolResult toolResult(
      String toolCallId, String name, ToolStatus status, CallAction action) {
    return new ToolResult(
        "call-1", toolCallId, name, status, "{\"ok\":true}", 5L, 1, T0, action, null, null, null);
  }

  static PlaybackMark played(String itemId, long ms) {
    return new PlaybackMark("call-1", itemId + ":" + ms, itemId, ms, false, T0);
  }

  // ---- picking effects ----

  static <T extends Effect> List<T> only(List<Effect> effects, Class<T> type) {
    return effects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The client events sent to Realtime, in order. */
  static List<ClientEvent> sent(List<Effect> effects) {
    return only(effects, Effect.ToRealtime.class).stream().map(Effect.ToRealtime::event).toList();
  }

  static List<Object> sessionEvents(List<Effect> effects) {
    return only(effects, Effect.PublishSessionEvent.class).stream()
        .map(e -> (Object) ((SessionEvent) e.event()).getEvent())
        .toList();
  }

  static List<TranscriptEvent> transcripts(List<Effect> effects) {
    return only(effects, Effect.PublishTranscript.class).stream()
        .map(Effect.PublishTranscript::event)
        .toList();
  }

  /** A Realtime connection that only has an identity; effects say what is sent on it. */
  static final class FakeConnection implements RealtimeConnection {
    private final String id;
    boolean writable = true;

    FakeConnection(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String url() {
      return "ws://fake/" + id;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public boolean isWritable() {
      return writable;
    }

    @Override
    public CompletableFuture<Void> send(ClientEvent event) {
      throw new UnsupportedOperationException("the coordinator never sends itself");
    }

    @Override
    public CompletableFuture<CloseStatus> close(int code, String reason) {
      throw new UnsupportedOperationException("the coordinator never closes itself");
    }

    @Override
    public CompletableFuture<CloseStatus> closeFuture() {
      return new CompletableFuture<>();
    }
  }

  /** A clock that stands still until the test moves it. */
  public static final class MovableClock extends Clock {
    private Instant now;

    public MovableClock(Instant now) {
      this.now = now;
    }

    public void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}

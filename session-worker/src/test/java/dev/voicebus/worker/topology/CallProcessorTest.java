package dev.voicebus.worker.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.AudioGap;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.Dtmf;
import dev.voicebus.avro.Hangup;
import dev.voicebus.avro.PlaybackMark;
import dev.voicebus.avro.ReplyRoute;
import dev.voicebus.avro.SessionError;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.TopicSettings;
import dev.voicebus.schemas.topic.TopicSpec;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.worker.metrics.WorkerMetrics;
import dev.voicebus.worker.output.CallOutput;
import dev.voicebus.worker.session.CallContext;
import dev.voicebus.worker.session.CallFixture;
import dev.voicebus.worker.state.CallState;
import dev.voicebus.worker.state.CallStates;
import dev.voicebus.worker.state.StateChange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's topology with {@link TopologyTestDriver}: records in, what the processor asks of its
 * live calls and what it writes to the store out. Live calls are fakes that record their inputs, so
 * no socket or broker is involved and time is the driver's.
 */
class CallProcessorTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final TopicCatalogue CATALOGUE = new TopicCatalogue(TopicSettings.DEFAULTS);

  private final FakeLiveCalls liveCalls = new FakeLiveCalls();
  private final RecordingOutput out = new RecordingOutput();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TopologyTestDriver driver;
  private TestInputTopic<String, CallControl> control;
  private TestInputTopic<String, AudioFrame> audio;
  private TestInputTopic<String, ToolResult> results;
  private KeyValueStore<String, CallState> calls;

  @BeforeEach
  void start() throws Exception {
    var topology =
        WorkerTopology.build(
            CATALOGUE, liveCalls, CallFixture.profiles(), out, new WorkerMetrics(registry));
    var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "worker-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("worker-ttd").toString());
    driver = new TopologyTestDriver(topology, props, T0);
    control = input(Topics.CALL_CONTROL);
    audio = input(Topics.AUDIO_IN);
    results = input(Topics.TOOL_RESULTS);
    calls = driver.getKeyValueStore(CallProcessor.CALLS_STORE);
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  private <V> TestInputTopic<String, V> input(TopicSpec<String, V> spec) {
    return driver.createInputTopic(
        CATALOGUE.name(spec), Serdes.String().serializer(), spec.valueSerde().serializer());
  }

  @Test
  void aStartedCallIsOpenedWithItsStateAndProfile() {
    started("call-a");

    assertThat(liveCalls.opened)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.context.callId()).isEqualTo("call-a");
              assertThat(c.context.profile().id()).isEqualTo("support");
              assertThat(c.context.replyPartition()).isEqualTo(3);
              assertThat(c.resumeReason).isEmpty();
            });
    assertThat(calls.get("call-a").getTenantId()).isEqualTo("acme");
  }

  @Test
  void traceHeadersOfCallStartedAndToolResultsReachTheCall() {
    String ingestSpan = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    String executorSpan = "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01";
    control.pipeInput(
        new TestRecord<>(
            "call-a",
            new CallControl(callStarted("call-a", "support")),
            traceHeaders(ingestSpan),
            T0));
    var result =
        new ToolResult(
            "call-a",
            "tc-1",
            "lookup_order",
            ToolStatus.OK,
            "{}",
            1L,
            1,
            T0,
            null,
            null,
            null,
            null);
    results.pipeInput(new TestRecord<>("call-a", result, traceHeaders(executorSpan), T0));
    results.pipeInput("call-a", result, T0);

    assertThat(liveCalls.call("call-a").state().getTraceparent()).isEqualTo(ingestSpan);
    assertThat(calls.get("call-a").getTraceparent()).isEqualTo(ingestSpan);
    assertThat(liveCalls.call("call-a").resultTraceparents).containsExactly(executorSpan, "null");
  }

  private static Headers traceHeaders(String traceparent) {
    var headers = new RecordHeaders();
    headers.add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  @Test
  void duplicateFramesAreDroppedAndAGapIsReported() {
    started("call-a");
    for (long seq : new long[] {0, 1, 1, 2, 0, 5, 6}) {
      frame("call-a", seq);
    }

    assertThat(liveCalls.call("call-a").audioSeqs()).containsExactly(0L, 1L, 2L, 5L, 6L);
    assertThat(out.events)
        .extracting(SessionEvent::getEvent)
        .filteredOn(AudioGap.class::isInstance)
        .containsExactly(new AudioGap(3L, 5L));
    assertThat(registry.counter("voicebus.worker.frames", "outcome", "duplicate").count())
        .isEqualTo(2);
  }

  @Test
  void framesArrivingBeforeTheirCallStartedAreReleasedInOrderWhenItStarts() {
    frame("call-a", 0);
    frame("call-a", 1);
    frame("call-a", 2);
    assertThat(liveCalls.opened).isEmpty();

    started("call-a");
    frame("call-a", 3);

    assertThat(liveCalls.call("call-a").audioSeqs()).containsExactly(0L, 1L, 2L, 3L);
  }

  @Test
  void framesOfACallThatNeverStartsExpire() {
    frame("call-x", 0);
    frame("call-x", 1);

    driver.advanceWallClockTime(Duration.ofSeconds(11));
    started("call-x");

    assertThat(liveCalls.call("call-x").audioSeqs()).isEmpty();
    assertThat(registry.counter("voicebus.worker.frames", "outcome", "unknown_call").count())
        .isEqualTo(2);
  }

  @Test
  void anEndedCallIsEndedAndForgottenAndItsLateFramesGoNowhere() {
    started("call-a");
    frame("call-a", 0);

    control.pipeInput(
        "call-a",
        new CallControl(new CallEnded("call-a", CallEndReason.CALLER_HANGUP, null, 0L, T0, null)),
        T0);
    frame("call-a", 1);

    FakeCall call = liveCalls.call("call-a");
    assertThat(call.ended).containsExactly("caller_hangup");
    assertThat(call.audioSeqs()).containsExactly(0L);
    assertThat(calls.get("call-a")).isNull();
    assertThat(driver.<String, Long>getKeyValueStore(CallProcessor.SEQ_STORE).get("call-a"))
        .isNull();
  }

  @Test
  void toolResultsPlaybackMarksAndKeysReachTheirCall() {
    started("call-a");
    var result =
        new ToolResult(
            "call-a",
            "tc-1",
            "lookup_order",
            ToolStatus.OK,
            "{}",
            1L,
            1,
            T0,
            null,
            null,
            null,
            null);
    results.pipeInput("call-a", result, T0);
    control.pipeInput(
        "call-a", new CallControl(new PlaybackMark("call-a", "m", "item", 200L, false, T0)), T0);
    results.pipeInput("call-unknown", result, T0);

    control.pipeInput("call-a", new CallControl(new Dtmf("call-a", "7", T0)), T0);

    FakeCall call = liveCalls.call("call-a");
    assertThat(call.toolResults).containsExactly(result);
    assertThat(call.marks).hasSize(1);
    assertThat(call.digits).containsExactly("7");
  }

  @Test
  void aCallsStateChangesAreWrittenToTheStoreOnTheStreamThread() {
    started("call-a");
    FakeCall call = liveCalls.call("call-a");

    call.change(new StateChange.SessionIdentified("sess_1"));
    assertThat(calls.get("call-a").getSessionId()).isNull();
    driver.advanceWallClockTime(Duration.ofMillis(50));

    assertThat(calls.get("call-a").getSessionId()).isEqualTo("sess_1");
  }

  @Test
  void aCallTheWorkerEndedItselfLeavesTheStoreSoNoOwnerReopensIt() {
    started("call-a");
    frame("call-a", 0);
    liveCalls.call("call-a").change(new StateChange.Ended("max_call_duration"));
    driver.advanceWallClockTime(Duration.ofMillis(50));

    assertThat(calls.get("call-a")).isNull();
    frame("call-a", 1);
    assertThat(liveCalls.call("call-a").audioSeqs()).containsExactly(0L);
  }

  @Test
  void anUnknownProfileIsAnErrorAndAHangupOnTheCallersReplyRoute() {
    control.pipeInput("call-z", new CallControl(callStarted("call-z", "no-such-profile")), T0);

    assertThat(liveCalls.opened).isEmpty();
    assertThat(out.events)
        .singleElement()
        .satisfies(
            e -> assertThat(((SessionError) e.getEvent()).getCode()).isEqualTo("unknown_profile"));
    assertThat(out.audio)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.topic).isEqualTo("voicebus.audio.out");
              assertThat(a.partition).isEqualTo(3);
              assertThat(a.out.getEvent()).isInstanceOf(Hangup.class);
            });
    assertThat(calls.get("call-z")).isNull();
  }

  @Test
  void aDuplicateCallStartedOpensNothingTwice() {
    started("call-a");
    started("call-a");

    assertThat(liveCalls.opened).hasSize(1);
  }

  @Test
  void closingTheTaskHandsEveryCallOverAndWritesItsLastState() {
    // Driven directly: the driver's stores cannot be read once it has closed the task.
    var context = new MockProcessorContext<Void, Void>();
    context.setCurrentSystemTimeMs(T0.toEpochMilli());
    KeyValueStore<String, CallState> store =
        store(CallProcessor.CALLS_STORE, context, AvroSerde.of(CallState.class));
    store(CallProcessor.SEQ_STORE, context, Serdes.Long());
    var processor =
        new CallProcessor(liveCalls, CallFixture.profiles(), out, new WorkerMetrics(registry));
    processor.init(context);
    processor.process(
        new Record<>("call-b", (Object) new CallControl(callStarted("call-b", "support")), 0L));
    FakeCall call = liveCalls.call("call-b");
    call.onHandOver = () -> call.change(new StateChange.ResponseOwed(true));

    processor.close();

    assertThat(call.handedOver).isTrue();
    assertThat(store.get("call-b").getResponseOwed()).isTrue();
  }

  private static <V> KeyValueStore<String, V> store(
      String name, MockProcessorContext<Void, Void> context, Serde<V> serde) {
    KeyValueStore<String, V> store =
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), serde)
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    return store;
  }

  // ---- helpers ----

  private void started(String callId) {
    control.pipeInput(callId, new CallControl(callStarted(callId, "support")), T0);
  }

  private static CallStarted callStarted(String callId, String profile) {
    return CallStarted.newBuilder()
        .setCallId(callId)
        .setTenantId("acme")
        .setAgentProfile(profile)
        .setSource(CallSource.TWILIO)
        .setCodec(AudioCodec.PCMU)
        .setSampleRate(8000)
        .setCallerMetadata(Map.of())
        .setReplyRoute(new ReplyRoute("voicebus.audio.out", 3))
        .setStartedAt(T0)
        .build();
  }

  private void frame(String callId, long seq) {
    byte[] payload = {(byte) seq};
    audio.pipeInput(
        callId, new AudioFrame(callId, seq, T0, 20, AudioCodec.PCMU, ByteBuffer.wrap(payload)), T0);
  }

  /** Live calls that record what the processor asks of them. */
  private static final class FakeLiveCalls implements LiveCalls {
    final List<FakeCall> opened = new ArrayList<>();

    @Override
    public Call open(
        CallContext context, CallState state, Optional<String> resumeReason, Runnable changed) {
      var call = new FakeCall(context, state, resumeReason, changed);
      opened.add(call);
      return call;
    }

    FakeCall call(String callId) {
      return opened.stream()
          .filter(c -> c.context.callId().equals(callId))
          .findFirst()
          .orElseThrow();
    }
  }

  private static final class FakeCall implements LiveCalls.Call {
    final CallContext context;
    final Optional<String> resumeReason;
    final Runnable changed;
    final List<byte[]> audio = new ArrayList<>();
    final List<ToolResult> toolResults = new ArrayList<>();
    final List<String> resultTraceparents = new ArrayList<>();
    final List<PlaybackMark> marks = new ArrayList<>();
    final List<String> digits = new ArrayList<>();
    final List<String> ended = new ArrayList<>();
    boolean handedOver;
    Runnable onHandOver = () -> {};
    private volatile CallState state;

    FakeCall(
        CallContext context, CallState state, Optional<String> resumeReason, Runnable changed) {
      this.context = context;
      this.state = state;
      this.resumeReason = resumeReason;
      this.changed = changed;
    }

    void change(StateChange change) {
      state = CallStates.apply(state, change);
      changed.run();
    }

    List<Long> audioSeqs() {
      return audio.stream().map(p -> (long) p[0]).toList();
    }

    @Override
    public void audio(byte[] payload, Instant producedAt) {
      audio.add(payload);
    }

    @Override
    public void toolResult(ToolResult result, String traceparent) {
      toolResults.add(result);
      resultTraceparents.add(String.valueOf(traceparent));
    }

    @Override
    public void playbackMark(PlaybackMark mark) {
      marks.add(mark);
    }

    @Override
    public void keypad(String digit) {
      digits.add(digit);
    }

    @Override
    public void end(String reason) {
      ended.add(reason);
    }

    @Override
    public void handOver() {
      handedOver = true;
      onHandOver.run();
    }

    @Override
    public CallState state() {
      return state;
    }
  }

  /** The processor's own output (lifecycle, errors, gaps, hang-ups), recorded. */
  private static final class RecordingOutput implements CallOutput {
    record Routed(String topic, int partition, AudioOut out) {}

    final List<SessionEvent> events = new CopyOnWriteArrayList<>();
    final List<Routed> audio = new CopyOnWriteArrayList<>();

    @Override
    public void transcript(TranscriptEvent event) {}

    @Override
    public void toolCall(ToolCall call, Optional<String> traceparent) {}

    @Override
    public void sessionEvent(SessionEvent event) {
      if (!(event.getEvent() instanceof dev.voicebus.avro.SessionLifecycle)) {
        events.add(event);
      }
    }

    @Override
    public void audioOut(String replyTopic, int replyPartition, String callId, AudioOut out) {
      if (!(out.getEvent() instanceof AgentAudio)) {
        audio.add(new Routed(replyTopic, replyPartition, out));
      }
    }

    @Override
    public void callEnded(dev.voicebus.avro.CallEnded ended) {}
  }
}

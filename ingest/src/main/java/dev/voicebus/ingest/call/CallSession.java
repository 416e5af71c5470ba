package dev.voicebus.ingest.call;

import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.ClearPlayback;
import dev.voicebus.avro.Dtmf;
import dev.voicebus.avro.Hangup;
import dev.voicebus.avro.PlaybackMark;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.ingest.admin.IngestMetrics;
import dev.voicebus.ingest.audio.AudioFormats;
import dev.voicebus.ingest.playback.PlaybackPacer;
import dev.voicebus.schemas.log.CallMdc;
import io.netty.channel.EventLoop;
import io.opentelemetry.api.trace.Span;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live call on this node, whatever protocol it came in on: announces it (CallStarted), turns
 * its audio into gap-free AudioFrames, publishes DTMF and playback marks, plays agent audio through
 * its {@link PlaybackPacer}, enforces the duration limit (in wall-clock time and in audio sent),
 * keeps its {@link InboundBudget}, carries out the agent's hang-up or transfer with its carrier
 * ({@link CarrierHandOff}), and announces the end exactly once. Confined to the call's event loop
 * except for {@link #settled()}.
 */
public final class CallSession implements PlaybackPacer.Listener {

  private static final Logger log = LoggerFactory.getLogger(CallSession.class);

  /** The lifecycle: a call is live until it ends, and ends once. */
  public enum State {
    LIVE,
    ENDED
  }

  private final String callId;
  private final IngestContext ctx;
  private final CallStartRequest request;
  private final EventLoop loop;
  private final CallChannel out;
  private final FrameChunker chunker;
  private final PlaybackPacer pacer;
  private final FrameChunker.Sink publishChunk = this::publishChunk;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final CompletableFuture<CallSummary> settled = new CompletableFuture<>();
  private final InboundBudget budget;
  private final CarrierHandOff handOff;
  private final long maxAudioBytes;
  private volatile boolean failedPublish;
  private volatile State state = State.LIVE;
  private long nextSeq;
  private long bytesIn;
  private ScheduledFuture<?> durationLimit;
  private Span span = Span.getInvalid();

  private CallSession(
      IngestContext ctx,
      CallStartRequest request,
      EventLoop loop,
      CallChannel out,
      Optional<CallCarrier> carrier) {
    this.callId = request.callId().orElseGet(() -> UUID.randomUUID().toString());
    this.ctx = ctx;
    this.request = request;
    this.loop = loop;
    this.out = out;
    int bytesPerMs = AudioFormats.bytesPerMs(request.codec());
    this.chunker = new FrameChunker(bytesPerMs * ctx.config().audio().chunkMs());
    this.pacer =
        new PlaybackPacer(request.codec(), loop, out, ctx.config().audio(), ctx.metrics(), this);
    var edge = ctx.config().edge();
    double rate =
        request.source() == CallSource.HTTP ? edge.uploadMaxAudioRate() : edge.maxAudioRate();
    this.budget =
        new InboundBudget(rate, edge.audioBurst(), edge.maxPendingPerCall(), System.nanoTime());
    this.maxAudioBytes = ctx.config().limits().maxCallDuration().toMillis() * bytesPerMs;
    this.handOff = new CarrierHandOff(this, carrier);
  }

  /**
   * Announces a call whose admission slot the caller has already reserved with {@link
   * CallRegistry#tryReserve}, for the tenant and profile its credential entitles it to ({@link
   * CallStartRequest#entitled}); must be called on {@code loop}.
   */
  public static CallSession start(
      IngestContext ctx, CallStartRequest request, EventLoop loop, CallChannel out) {
    return start(ctx, request, loop, out, Optional.empty());
  }

  /** As {@link #start(IngestContext, CallStartRequest, EventLoop, CallChannel)}, with a carrier. */
  public static CallSession start(
      IngestContext ctx,
      CallStartRequest request,
      EventLoop loop,
      CallChannel out,
      Optional<CallCarrier> carrier) {
    var session = new CallSession(ctx, request, loop, out, carrier);
    session.announce();
    return session;
  }

  private void announce() {
    var config = ctx.config();
    var started =
        CallStarted.newBuilder()
            .setCallId(callId)
            .setTenantId(request.tenant())
            .setAgentProfile(request.agentProfile().orElse(config.defaultAgentProfile()))
            .setSource(request.source())
            .setCodec(request.codec())
            .setSampleRate(AudioFormats.sampleRate(request.codec()))
            .setCallerMetadata(new java.util.HashMap<>(request.metadata()))
            .setExternalCallId(request.externalCallId().orElse(null))
            .setReplyRoute(ctx.replyRoute())
            .setStartedAt(Instant.now())
            .build();
    ctx.registry().register(this);
    span = ctx.tracing().started(started);
    publishControl(started, CallTracing.headers(span));
    ctx.metrics().callStarted(request.source().name());
    long limitMs = config.limits().maxCallDuration().toMillis();
    durationLimit =
        loop.schedule(
            () -> fail(CallEndReason.MAX_DURATION, 1000, "max call duration reached"),
            limitMs,
            TimeUnit.MILLISECONDS);
    try (CallMdc ignored = mdc()) {
      log.info(
          "Call {} started: source={} codec={} external={}",
          callId,
          request.source(),
          request.codec(),
          request.externalCallId().orElse("-"));
    }
  }

  /** Puts this call's ids into the MDC until closed (for lines logged about this call). */
  public CallMdc mdc() {
    return CallMdc.open(callId, request.tenantId().orElse(ctx.config().defaultTenantId()));
  }

  public String callId() {
    return callId;
  }

  public AudioCodec codec() {
    return request.codec();
  }

  public String tenant() {
    return request.tenant();
  }

  public EventLoop eventLoop() {
    return loop;
  }

  public State state() {
    return state;
  }

  public long nextSeq() {
    return nextSeq;
  }

  /**
   * Caller audio in the call's codec, received at {@code atMillis}. Audio beyond {@code
   * ingest.max-call-duration} is not published: the call ends there (MAX_DURATION).
   */
  public void onAudio(byte[] bytes, int offset, int length, long atMillis) {
    if (state != State.LIVE) {
      return;
    }
    int accepted = (int) Math.min(length, maxAudioBytes - bytesIn);
    bytesIn += accepted;
    ctx.metrics().frameIn(accepted);
    chunker.add(bytes, offset, accepted, atMillis, publishChunk);
    budget.spend(
        accepted * 1_000_000L / AudioFormats.bytesPerMs(request.codec()), System.nanoTime());
    if (bytesIn >= maxAudioBytes) {
      // The same limit as the wall-clock timer, reached by audio sent faster than real time.
      log.info(
          "Call {} sent {} ms of audio: the max call duration",
          callId,
          maxAudioBytes / AudioFormats.bytesPerMs(request.codec()));
      fail(
          CallEndReason.MAX_DURATION,
          request.source() == CallSource.HTTP ? 413 : 1000,
          "max call duration reached");
    }
  }

  /** Whether and how long the call's connection must stop reading (see {@link InboundBudget}). */
  public InboundBudget.Pause readPause() {
    return budget.pause(outstanding.get(), System.nanoTime());
  }

  private void publishChunk(byte[] payload, long capturedAtMillis) {
    int bytesPerMs = AudioFormats.bytesPerMs(request.codec());
    var frame =
        AudioFrame.newBuilder()
            .setCallId(callId)
            .setSeq(nextSeq++)
            .setCapturedAt(Instant.ofEpochMilli(capturedAtMillis))
            .setDurationMs(Math.max(1, payload.length / bytesPerMs))
            .setCodec(request.codec())
            .setPayload(ByteBuffer.wrap(payload))
            .build();
    outstanding.incrementAndGet();
    ctx.publisher().publishFrame(frame, this::onPublished);
  }

  public void onDtmf(String digit) {
    if (state == State.LIVE) {
      publishControl(
          Dtmf.newBuilder().setCallId(callId).setDigit(digit).setReceivedAt(Instant.now()).build());
    }
  }

  /** The caller side echoed a playback mark. */
  public void onMarkEcho(String name) {
    pacer.onMarkEcho(name);
  }

  /** A playback instruction from audio.out; must run on the call's event loop. */
  public void onAudioOut(AudioOut record) {
    if (state != State.LIVE) {
      ctx.metrics().playbackDropped("call-ended");
      return;
    }
    Object event = record.getEvent();
    if (event instanceof AgentAudio audio) {
      pacer.onAgentAudio(audio);
    } else if (event instanceof ClearPlayback clear) {
      pacer.onClear(clear);
    } else if (event instanceof Hangup hangup) {
      pacer.onHangup(hangup);
    }
  }

  @Override
  public void played(String name, String itemId, long playedMs, boolean cleared) {
    if (state != State.LIVE) {
      return;
    }
    publishControl(
        PlaybackMark.newBuilder()
            .setCallId(callId)
            .setName(name)
            .setItemId(itemId)
            .setPlayedMs(playedMs)
            .setCleared(cleared)
            .setAckedAt(Instant.now())
            .build());
  }

  @Override
  public void hangup(Hangup hangup) {
    if (state == State.LIVE) {
      handOff.onHangup(hangup);
    }
  }

  /** Ends the call and closes its connection with {@code code} and {@code reason}. */
  public void fail(CallEndReason reason, int code, String detail) {
    if (state == State.LIVE) {
      end(reason, detail);
      out.close(code, detail);
    }
  }

  /**
   * Publishes the last partial chunk and CallEnded, once; later calls do nothing. While the carrier
   * has not yet answered a transfer the end waits for its answer, and after it moved the caller the
   * call ends as TRANSFERRED whatever the reason given here.
   */
  public void end(CallEndReason reason, String detail) {
    if (state != State.LIVE) {
      return;
    }
    handOff.ending(reason, detail).ifPresent(this::endNow);
  }

  void endNow(CarrierHandOff.Ending ending) {
    if (state != State.LIVE) {
      return;
    }
    CallEndReason reason = ending.reason();
    String detail = ending.detail();
    chunker.flush(publishChunk);
    state = State.ENDED;
    if (durationLimit != null) {
      durationLimit.cancel(false);
    }
    pacer.stop();
    publishControl(
        CallEnded.newBuilder()
            .setCallId(callId)
            .setReason(reason)
            .setDetail(detail)
            .setLastSeq(nextSeq - 1)
            .setEndedAt(Instant.now())
            .setTransferTarget(ending.transferTarget())
            .build());
    ctx.registry().release(this);
    ctx.metrics().callEnded(reason.name());
    CallTracing.ended(span, reason, detail);
    try (CallMdc ignored = mdc()) {
      log.info("Call {} ended: {} ({}), {} frames published", callId, reason, detail, nextSeq);
    }
  }

  /** Answers a tool call of this call on tool.results (a transfer the carrier refused). */
  void publishToolResult(ToolResult result) {
    var stamped =
        ToolResult.newBuilder(result)
            .setTenantId(request.tenant())
            .setAgentProfile(request.agentProfile().orElse(null))
            .setExternalCallId(request.externalCallId().orElse(null))
            .build();
    outstanding.incrementAndGet();
    ctx.publisher()
        .publishToolResult(callId, stamped, CallTracing.headers(span), this::onPublished);
  }

  IngestMetrics metrics() {
    return ctx.metrics();
  }

  private void publishControl(Object event) {
    publishControl(event, null);
  }

  private void publishControl(Object event, Headers headers) {
    outstanding.incrementAndGet();
    ctx.publisher().publishControl(callId, new CallControl(event), headers, this::onPublished);
  }

  private void onPublished(Exception error) {
    if (error != null && !failedPublish) {
      failedPublish = true;
      loop.execute(
          () -> fail(CallEndReason.ERROR, 1011, "call audio could not be published to Kafka"));
    }
    if (outstanding.decrementAndGet() == 0 && state == State.ENDED) {
      long audioMs = bytesIn / AudioFormats.bytesPerMs(request.codec());
      settled.complete(
          new CallSummary(callId, nextSeq, bytesIn, nextSeq - 1, audioMs, !failedPublish));
    }
  }

  /** Records handed to the publisher and not yet acknowledged (for backpressure on uploads). */
  public int unacknowledged() {
    return outstanding.get();
  }

  /** Completes once the call has ended and every record it published was acknowledged or failed. */
  public CompletableFuture<CallSummary> settled() {
    return settled;
  }
}

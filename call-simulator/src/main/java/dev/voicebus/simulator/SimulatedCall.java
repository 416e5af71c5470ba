package dev.voicebus.simulator;

import dev.voicebus.telephony.twilio.TwilioCodec;
import dev.voicebus.telephony.twilio.TwilioMessage;
import dev.voicebus.telephony.twilio.TwilioMessage.Inbound;
import dev.voicebus.telephony.twilio.TwilioMessage.MediaFormat;
import dev.voicebus.telephony.twilio.TwilioMessage.Outbound;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One simulated Twilio call. Sending methods may be called from any thread (they run on the
 * connection's event loop, in call order); received audio, marks and clears are recorded for
 * assertions. Agent audio "plays" on a simulated clock: a mark is echoed when the audio received
 * before it has played, or at once when a {@code clear} arrives, as Twilio does.
 */
public final class SimulatedCall {

  /** The account of calls the simulator makes up itself. */
  public static final String ACCOUNT_SID = "ACsimulated";

  /** How fast {@link #streamAudio} sends: one frame per 20 ms, or all at once. */
  public enum Pacing {
    REAL_TIME,
    AS_FAST_AS_POSSIBLE
  }

  private final String callSid;
  private final String accountSid;
  private final String streamSid;
  private final Optional<Map<String, String>> startParameters;
  private final CompletableFuture<SimulatedCall> ready = new CompletableFuture<>();
  private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
  private final List<ReceivedFrame> frames = new ArrayList<>();
  private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
  private final List<String> marksReceived = new ArrayList<>();
  private final List<String> marksEchoed = new ArrayList<>();
  private final List<Pending> pendingMarks = new ArrayList<>();
  private volatile Channel channel;
  private int clears;
  private long sequence;
  private long chunk;
  private long startedNanos;
  private long playEndNanos;

  private record Pending(String name, ScheduledFuture<?> echo) {}

  SimulatedCall(
      String callSid,
      String accountSid,
      String streamSid,
      Optional<Map<String, String>> startParameters) {
    this.callSid = callSid;
    this.accountSid = accountSid;
    this.streamSid = streamSid;
    this.startParameters = startParameters;
  }

  public String callSid() {
    return callSid;
  }

  public String streamSid() {
    return streamSid;
  }

  public String accountSid() {
    return accountSid;
  }

  CompletableFuture<SimulatedCall> ready() {
    return ready;
  }

  /** Completes when the connection ends, with the server's close code and reason. */
  public CompletableFuture<CloseStatus> closed() {
    return closed;
  }

  void connectFailed(Throwable cause) {
    closed.complete(new CloseStatus(1006, String.valueOf(cause.getMessage()), 0));
    ready.completeExceptionally(cause);
  }

  // ---- sending (Twilio -> ingest) ----

  /** Sends raw text (for malformed-input tests). */
  public void sendText(String text) {
    onLoop(() -> channel.writeAndFlush(new TextWebSocketFrame(text)));
  }

  public void sendBinary(byte[] bytes) {
    onLoop(() -> channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes))));
  }

  /** Sends one media message with the given mu-law payload. */
  public void sendMedia(byte[] mulaw) {
    onLoop(() -> channel.writeAndFlush(media(mulaw)));
  }

  /**
   * Sends {@code mulaw} as 20 ms (160-byte) media messages; the future completes once all are
   * written.
   */
  public CompletableFuture<Void> streamAudio(byte[] mulaw, Pacing pacing) {
    var done = new CompletableFuture<Void>();
    int frameCount = (mulaw.length + 159) / 160;
    onLoop(
        () -> {
          if (pacing == Pacing.AS_FAST_AS_POSSIBLE) {
            for (int i = 0; i < frameCount; i++) {
              channel.write(media(slice(mulaw, i)));
            }
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> done.complete(null));
          } else {
            paced(mulaw, frameCount, done);
          }
        });
    return done;
  }

  private void paced(byte[] mulaw, int frameCount, CompletableFuture<Void> done) {
    int[] next = {0};
    ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
    task[0] =
        channel
            .eventLoop()
            .scheduleAtFixedRate(
                () -> {
                  if (next[0] >= frameCount || !channel.isActive()) {
                    task[0].cancel(false);
                    done.complete(null);
                    return;
                  }
                  channel.writeAndFlush(media(slice(mulaw, next[0]++)));
                },
                0,
                20,
                TimeUnit.MILLISECONDS);
  }

  private static byte[] slice(byte[] audio, int frame) {
    int from = frame * 160;
    return Arrays.copyOfRange(audio, from, Math.min(audio.length, from + 160));
  }

  public void sendDtmf(String digit) {
    onLoop(() -> send(new Inbound.Dtmf(++sequence, streamSid, "inbound_track", digit)));
  }

  /** Sends {@code stop} as Twilio does when the caller hangs up. */
  public void sendStop() {
    onLoop(() -> send(new Inbound.Stop(++sequence, streamSid, accountSid, callSid)));
  }

  /** Drops the connection without {@code stop}. */
  public void disconnect() {
    onLoop(() -> channel.close());
  }

  private TextWebSocketFrame media(byte[] mulaw) {
    long ms = (System.nanoTime() - startedNanos) / 1_000_000;
    return frame(new Inbound.Media(++sequence, streamSid, "inbound", ++chunk, ms, mulaw));
  }

  private TextWebSocketFrame frame(TwilioMessage message) {
    ByteBuf buf = channel.alloc().buffer(message instanceof Inbound.Media ? 320 : 256);
    try {
      TwilioCodec.encode(message, new ByteBufOutputStream(buf));
    } catch (RuntimeException e) {
      buf.release();
      throw e;
    }
    return new TextWebSocketFrame(buf);
  }

  private void send(TwilioMessage message) {
    channel.writeAndFlush(frame(message));
  }

  private void sendStart(Map<String, String> custom) {
    startedNanos = System.nanoTime();
    send(new Inbound.Connected("Call", "1.0.0"));
    send(
        new Inbound.Start(
            ++sequence,
            streamSid,
            accountSid,
            callSid,
            List.of("inbound"),
            custom,
            MediaFormat.MULAW_8K_MONO));
  }

  private void onLoop(Runnable action) {
    Channel ch = channel;
    if (ch == null) {
      throw new IllegalStateException("call " + callSid + " is not connected");
    }
    ch.eventLoop().execute(action);
  }

  // ---- receiving (ingest -> Twilio) ----

  ChannelHandler handler() {
    return new Handler();
  }

  private final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      channel = ctx.channel();
      super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        startParameters.ifPresent(SimulatedCall.this::sendStart);
        ready.complete(SimulatedCall.this);
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof CloseWebSocketFrame close) {
        closed.complete(new CloseStatus(close.statusCode(), close.reasonText(), 101));
        ctx.close();
      } else if (frame instanceof TextWebSocketFrame text) {
        byte[] json = ByteBufUtil.getBytes(text.content());
        onServerMessage(TwilioCodec.decodeOutbound(json, 0, json.length));
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      closed.complete(new CloseStatus(1006, "connection dropped", ready.isDone() ? 101 : 0));
      ready.completeExceptionally(new IOException("connection closed before the upgrade"));
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof WebSocketClientHandshakeException refused
          && refused.response() != null) {
        int status = refused.response().status().code();
        closed.complete(new CloseStatus(1006, "upgrade refused: HTTP " + status, status));
      }
      ready.completeExceptionally(cause);
      ctx.close();
    }
  }

  private void onServerMessage(Outbound message) {
    if (message instanceof Outbound.Media media) {
      onMedia(media.payload());
    } else if (message instanceof Outbound.Mark mark) {
      onMark(mark.name());
    } else if (message instanceof Outbound.Clear) {
      onClear();
    }
    // Twilio ignores messages it does not know.
  }

  private void onMedia(byte[] payload) {
    long now = System.nanoTime();
    synchronized (this) {
      frames.add(new ReceivedFrame(payload, now));
      audio.writeBytes(payload);
    }
    playEndNanos = Math.max(playEndNanos, now) + payload.length * 1_000_000L / 8;
  }

  private void onMark(String name) {
    synchronized (this) {
      marksReceived.add(name);
    }
    long delay = playEndNanos - System.nanoTime();
    if (delay <= 0) {
      echo(name);
      return;
    }
    ScheduledFuture<?> echo =
        channel.eventLoop().schedule(() -> echoPending(name), delay, TimeUnit.NANOSECONDS);
    pendingMarks.add(new Pending(name, echo));
  }

  private void echoPending(String name) {
    pendingMarks.removeIf(p -> p.name().equals(name));
    echo(name);
  }

  private void onClear() {
    synchronized (this) {
      clears++;
    }
    playEndNanos = System.nanoTime();
    for (Pending pending : List.copyOf(pendingMarks)) {
      pending.echo().cancel(false);
      echo(pending.name());
    }
    pendingMarks.clear();
  }

  private void echo(String name) {
    synchronized (this) {
      marksEchoed.add(name);
    }
    send(new Inbound.Mark(++sequence, streamSid, name));
  }

  // ---- observations ----

  public synchronized List<ReceivedFrame> receivedFrames() {
    return List.copyOf(frames);
  }

  public synchronized byte[] receivedAudio() {
    return audio.toByteArray();
  }

  public synchronized List<String> marksReceived() {
    return List.copyOf(marksReceived);
  }

  public synchronized List<String> marksEchoed() {
    return List.copyOf(marksEchoed);
  }

  public synchronized int clearsReceived() {
    return clears;
  }
}

package dev.voicebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.simulator.SimulatedCall.Pacing;
import dev.voicebus.telephony.twilio.TwilioCodec;
import dev.voicebus.telephony.twilio.TwilioMessage;
import dev.voicebus.telephony.twilio.TwilioMessage.Inbound;
import dev.voicebus.telephony.twilio.TwilioMessage.MediaFormat;
import dev.voicebus.telephony.twilio.TwilioMessage.Outbound;
import dev.voicebus.telephony.twilio.TwilioSignature;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator against a minimal application server on a real socket: it signs the upgrade, speaks
 * Twilio's message sequence, and plays agent audio on Twilio's clock (marks echoed once the audio
 * before them has played, or at once when cleared).
 */
class TwilioCallSimulatorIT {

  private static final String TOKEN = "test-token";

  private final List<Inbound> received = new CopyOnWriteArrayList<>();
  private final List<String> signatures = new CopyOnWriteArrayList<>();
  private EventLoopGroup group;
  private Channel server;
  private volatile Channel app;
  private URI uri;

  @BeforeEach
  void startApplication() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(65536))
                        .addLast(new WebSocketServerProtocolHandler("/twilio/media"))
                        .addLast(new Application());
                  }
                })
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    uri = URI.create("ws://127.0.0.1:" + port + "/twilio/media");
  }

  @AfterEach
  void stopApplication() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void signsTheUpgradeAndSendsTwiliosMessagesInOrder() throws Exception {
    try (var simulator = new TwilioCallSimulator(SimulatorOptions.of(uri, TOKEN), 1)) {
      SimulatedCall call =
          simulator.call(Map.of("agentProfile", "sales")).get(10, TimeUnit.SECONDS);
      call.streamAudio(Tone.muLaw(440, 60), Pacing.AS_FAST_AS_POSSIBLE).get(10, TimeUnit.SECONDS);
      call.sendDtmf("7");
      call.sendStop();
      await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 7);

      assertThat(signatures).containsExactly(TwilioSignature.sign(TOKEN, uri.toString(), Map.of()));
      assertThat(received.get(0)).isEqualTo(new Inbound.Connected("Call", "1.0.0"));
      assertThat(received.get(1))
          .isEqualTo(
              new Inbound.Start(
                  1,
                  call.streamSid(),
                  "ACsimulated",
                  call.callSid(),
                  List.of("inbound"),
                  Map.of("agentProfile", "sales"),
                  MediaFormat.MULAW_8K_MONO));
      assertThat(received.subList(2, 5))
          .allSatisfy(m -> assertThat(m).isInstanceOf(Inbound.Media.class))
          .extracting(m -> ((Inbound.Media) m).chunk())
          .containsExactly(1L, 2L, 3L);
      assertThat(received.get(5))
          .isEqualTo(new Inbound.Dtmf(5, call.streamSid(), "inbound_track", "7"));
      assertThat(received.get(6))
          .isEqualTo(new Inbound.Stop(6, call.streamSid(), "ACsimulated", call.callSid()));
    }
  }

  @Test
  void echoesAMarkWhenTheAudioBeforeItHasPlayedAndAtOnceOnClear() throws Exception {
    try (var simulator = new TwilioCallSimulator(SimulatorOptions.of(uri, TOKEN), 1)) {
      SimulatedCall call = simulator.call(Map.of()).get(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> app != null && received.size() == 2);
      String sid = call.streamSid();
      byte[] longAudio = Tone.muLaw(300, 5000);

      send(new Outbound.Media(sid, new byte[160]));
      send(new Outbound.Mark(sid, "short"));
      send(new Outbound.Media(sid, longAudio));
      send(new Outbound.Mark(sid, "long"));
      await().atMost(Duration.ofSeconds(5)).until(() -> call.marksEchoed().contains("short"));
      assertThat(call.marksEchoed()).doesNotContain("long");

      send(new Outbound.Clear(sid));
      await().atMost(Duration.ofSeconds(5)).until(() -> call.marksEchoed().contains("long"));

      assertThat(call.clearsReceived()).isEqualTo(1);
      assertThat(call.marksReceived()).containsExactly("short", "long");
      assertThat(call.receivedAudio()).hasSize(160 + longAudio.length);
      assertThat(call.receivedFrames()).hasSize(2);
      assertThat(received)
          .filteredOn(Inbound.Mark.class::isInstance)
          .extracting(m -> ((Inbound.Mark) m).name())
          .containsExactly("short", "long");
    }
  }

  private void send(TwilioMessage message) {
    app.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(TwilioCodec.encode(message))));
  }

  /** The application side: records what the simulator sends and the signature it presented. */
  private final class Application extends SimpleChannelInboundHandler<TextWebSocketFrame> {

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
        signatures.add(handshake.requestHeaders().get(TwilioSignature.HEADER));
        app = ctx.channel();
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
      byte[] json = ByteBufUtil.getBytes(frame.content());
      received.add(TwilioCodec.decodeInbound(json, 0, json.length));
    }
  }
}

package dev.voicebus.launcher.bench;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.realtime.client.RealtimeClient;
import dev.voicebus.realtime.client.RealtimeConnection;
import dev.voicebus.realtime.client.RealtimeListener;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ConversationItem;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.telephony.twilio.TwilioCodec;
import dev.voicebus.telephony.twilio.TwilioMessage.Inbound;
import dev.voicebus.telephony.twilio.TwilioMessage.Outbound;
import dev.voicebus.worker.config.AgentProfile;
import dev.voicebus.worker.config.ProfileCatalog;
import dev.voicebus.worker.realtime.SessionConfigs;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * One Twilio media stream bridged straight to one Realtime session: caller audio is appended as it
 * arrives, agent audio is written back as 20 ms media messages at once, function calls are answered
 * in-process, and a response is requested after a tool output once the current one is done (as the
 * worker's response gate does). Audio arriving before the session is open is held.
 */
final class BridgeCall extends SimpleChannelInboundHandler<TextWebSocketFrame>
    implements RealtimeListener {

  private final RealtimeClient realtime;
  private final ProfileCatalog profiles;
  private final BridgeTools tools;
  private final BridgeMeters meters;
  private final Deque<byte[]> early = new ArrayDeque<>();
  private Channel caller;
  private String streamSid;
  private String callSid;
  private volatile RealtimeConnection connection;
  private boolean responseActive;
  private boolean responseOwed;

  BridgeCall(
      RealtimeClient realtime, ProfileCatalog profiles, BridgeTools tools, BridgeMeters meters) {
    this.realtime = realtime;
    this.profiles = profiles;
    this.tools = tools;
    this.meters = meters;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
    byte[] json = ByteBufUtil.getBytes(frame.content());
    Inbound msg = TwilioCodec.decodeInbound(json, 0, json.length);
    if (msg instanceof Inbound.Media media) {
      media(media.payload());
    } else if (msg instanceof Inbound.Start start) {
      start(ctx.channel(), start);
    } else if (msg instanceof Inbound.Stop) {
      ctx.close();
    }
    // marks, dtmf: nothing to bridge
  }

  private void start(Channel channel, Inbound.Start start) {
    caller = channel;
    streamSid = start.streamSid();
    callSid = start.callSid();
    String profileId = start.customParameters().getOrDefault("agentProfile", "support");
    // Offers what the worker offers: the tools the profile names, from the built-in tools.
    AgentProfile profile =
        profiles.forCall(
            profiles.find(profileId).orElseGet(() -> profiles.find("support").orElseThrow()),
            callSid,
            null);
    realtime
        .connect(profile.model(), this)
        .whenComplete(
            (conn, error) -> {
              if (error != null) {
                meters.errors.incrementAndGet();
                channel.close();
              } else {
                channel.eventLoop().execute(() -> opened(conn, profile));
              }
            });
  }

  private void opened(RealtimeConnection conn, AgentProfile profile) {
    if (!caller.isActive()) {
      conn.close();
      return;
    }
    conn.send(new ClientEvent.SessionUpdate(SessionConfigs.forCall(profile, AudioCodec.PCMU)));
    connection = conn;
    while (!early.isEmpty()) {
      connection.send(ClientEvent.InputAudioBufferAppend.of(early.pollFirst()));
    }
  }

  private void media(byte[] payload) {
    long received = System.nanoTime();
    if (connection == null) {
      early.addLast(payload);
      return;
    }
    connection.send(ClientEvent.InputAudioBufferAppend.of(payload));
    meters.inbound(System.nanoTime() - received);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (connection != null) {
      connection.close();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    meters.errors.incrementAndGet();
    ctx.close();
  }

  // ---- Realtime side (on the connection's event loop) ----

  @Override
  public void onEvent(ServerEvent event) {
    if (event instanceof ServerEvent.ResponseOutputAudioDelta delta) {
      agentAudio(delta);
    } else if (event instanceof ServerEvent.ResponseFunctionCallArgumentsDone call) {
      functionCall(call);
    } else if (event instanceof ServerEvent.ResponseCreated) {
      synchronized (this) {
        responseActive = true;
      }
    } else if (event instanceof ServerEvent.ResponseDone) {
      responseDone();
    } else if (event instanceof ServerEvent.InputAudioBufferSpeechStarted) {
      caller.writeAndFlush(twilio(new Outbound.Clear(streamSid)));
    } else if (event instanceof ServerEvent.ErrorEvent) {
      meters.errors.incrementAndGet();
    }
  }

  private void agentAudio(ServerEvent.ResponseOutputAudioDelta delta) {
    long received = System.nanoTime();
    byte[] audio = delta.deltaBytes();
    caller
        .eventLoop()
        .execute(
            () -> {
              for (int from = 0; from < audio.length; from += 160) {
                int to = Math.min(audio.length, from + 160);
                caller.write(
                    twilio(new Outbound.Media(streamSid, Arrays.copyOfRange(audio, from, to))));
              }
              caller.flush();
              meters.outbound(System.nanoTime() - received);
            });
  }

  private void functionCall(ServerEvent.ResponseFunctionCallArgumentsDone call) {
    long received = System.nanoTime();
    long toolStart = System.nanoTime();
    String output = tools.run(callSid, call.callId(), call.name(), call.arguments());
    long toolNanos = System.nanoTime() - toolStart;
    connection.send(
        new ClientEvent.ConversationItemCreate(
            ConversationItem.functionCallOutput(call.callId(), output)));
    meters.toolOverhead(System.nanoTime() - received - toolNanos);
    boolean createNow;
    synchronized (this) {
      createNow = !responseActive;
      responseOwed = responseActive;
    }
    if (createNow) {
      connection.send(new ClientEvent.ResponseCreate());
    }
  }

  private void responseDone() {
    boolean owed;
    synchronized (this) {
      responseActive = false;
      owed = responseOwed;
      responseOwed = false;
    }
    if (owed) {
      connection.send(new ClientEvent.ResponseCreate());
    }
  }

  private static TextWebSocketFrame twilio(Outbound message) {
    return new TextWebSocketFrame(Unpooled.wrappedBuffer(TwilioCodec.encode(message)));
  }

  @Override
  public void onClose(int code, String reason) {
    if (caller != null) {
      caller.close();
    }
  }

  @Override
  public void onError(Throwable error) {
    meters.errors.incrementAndGet();
  }
}

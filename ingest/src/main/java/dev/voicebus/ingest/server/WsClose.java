package dev.voicebus.ingest.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.nio.charset.StandardCharsets;

/** Closes a WebSocket with a status code and a reason (trimmed to the 123-byte limit). */
public final class WsClose {

  public static final int NORMAL = 1000;
  public static final int GOING_AWAY = 1001;
  public static final int PROTOCOL_ERROR = 1002;
  public static final int UNSUPPORTED_DATA = 1003;
  public static final int POLICY_VIOLATION = 1008;
  public static final int TOO_BIG = 1009;
  public static final int INTERNAL_ERROR = 1011;
  public static final int TRY_AGAIN_LATER = 1013;

  private WsClose() {}

  public static void close(Channel channel, int code, String reason) {
    if (!channel.isActive()) {
      return;
    }
    channel
        .writeAndFlush(new CloseWebSocketFrame(code, trim(reason)))
        .addListener(ChannelFutureListener.CLOSE);
  }

  static String trim(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= 123) {
      return reason;
    }
    return new String(bytes, 0, 120, StandardCharsets.UTF_8) + "...";
  }
}

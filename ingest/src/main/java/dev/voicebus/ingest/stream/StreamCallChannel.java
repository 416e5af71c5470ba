package dev.voicebus.ingest.stream;

import dev.voicebus.ingest.call.CallChannel;
import dev.voicebus.ingest.server.Json;
import dev.voicebus.ingest.server.WsClose;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * Plays agent audio on the plain stream: binary frames of audio in the call's codec, and JSON text
 * control messages {@code mark} (echoed back by the client), {@code clear} and {@code hangup}.
 */
final class StreamCallChannel implements CallChannel {

  private final Channel channel;

  StreamCallChannel(Channel channel) {
    this.channel = channel;
  }

  @Override
  public void writeAudio(byte[] frame) {
    channel.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame)));
  }

  @Override
  public void writeMark(String name) {
    channel.write(new TextWebSocketFrame("{\"type\":\"mark\",\"name\":" + Json.quote(name) + "}"));
  }

  @Override
  public void writeClear() {
    channel.write(new TextWebSocketFrame("{\"type\":\"clear\"}"));
  }

  @Override
  public void flush() {
    channel.flush();
  }

  @Override
  public void close(int code, String reason) {
    if (channel.isActive()) {
      channel.write(
          new TextWebSocketFrame("{\"type\":\"hangup\",\"reason\":" + Json.quote(reason) + "}"));
    }
    WsClose.close(channel, code, reason);
  }
}

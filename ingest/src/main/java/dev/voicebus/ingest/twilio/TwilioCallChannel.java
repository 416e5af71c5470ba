package dev.voicebus.ingest.twilio;

import dev.voicebus.ingest.call.CallChannel;
import dev.voicebus.ingest.server.Json;
import dev.voicebus.ingest.server.WsClose;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.Base64;

/**
 * Plays agent audio to Twilio: {@code media} messages with base64 mu-law, {@code mark} and {@code
 * clear}; hanging up closes the stream, which ends a {@code <Connect><Stream>} call.
 */
final class TwilioCallChannel implements CallChannel {

  private final Channel channel;
  private final String quotedStreamSid;

  TwilioCallChannel(Channel channel, String streamSid) {
    this.channel = channel;
    this.quotedStreamSid = Json.quote(streamSid);
  }

  @Override
  public void writeAudio(byte[] frame) {
    String payload = Base64.getEncoder().encodeToString(frame);
    channel.write(
        new TextWebSocketFrame(
            "{\"event\":\"media\",\"streamSid\":"
                + quotedStreamSid
                + ",\"media\":{\"payload\":\""
                + payload
                + "\"}}"));
  }

  @Override
  public void writeMark(String name) {
    channel.write(
        new TextWebSocketFrame(
            "{\"event\":\"mark\",\"streamSid\":"
                + quotedStreamSid
                + ",\"mark\":{\"name\":"
                + Json.quote(name)
                + "}}"));
  }

  @Override
  public void writeClear() {
    channel.write(
        new TextWebSocketFrame("{\"event\":\"clear\",\"streamSid\":" + quotedStreamSid + "}"));
  }

  @Override
  public void flush() {
    channel.flush();
  }

  @Override
  public void close(int code, String reason) {
    WsClose.close(channel, code, reason);
  }
}

package dev.voicebus.ingest.twilio;

import dev.voicebus.ingest.call.CallChannel;
import dev.voicebus.ingest.server.WsClose;
import dev.voicebus.telephony.twilio.TwilioCodec;
import dev.voicebus.telephony.twilio.TwilioMessage.Outbound;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * Plays agent audio to Twilio: {@code media} messages with base64 mu-law, {@code mark} and {@code
 * clear}, encoded straight into pooled buffers; hanging up closes the stream, which ends a {@code
 * <Connect><Stream>} call.
 */
final class TwilioCallChannel implements CallChannel {

  /** JSON around a media payload: event, streamSid and the field names. */
  private static final int ENVELOPE_BYTES = 128;

  private final Channel channel;
  private final String streamSid;

  TwilioCallChannel(Channel channel, String streamSid) {
    this.channel = channel;
    this.streamSid = streamSid;
  }

  @Override
  public void writeAudio(byte[] frame) {
    channel.write(frame(new Outbound.Media(streamSid, frame), frame.length * 4 / 3));
  }

  @Override
  public void writeMark(String name) {
    channel.write(frame(new Outbound.Mark(streamSid, name), name.length()));
  }

  @Override
  public void writeClear() {
    channel.write(frame(new Outbound.Clear(streamSid), 0));
  }

  private TextWebSocketFrame frame(Outbound message, int bodyBytes) {
    ByteBuf buf = channel.alloc().buffer(ENVELOPE_BYTES + bodyBytes);
    try {
      TwilioCodec.encode(message, new ByteBufOutputStream(buf));
    } catch (RuntimeException e) {
      buf.release();
      throw e;
    }
    return new TextWebSocketFrame(buf);
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

package dev.voicebus.ingest.http;

import dev.voicebus.ingest.call.CallChannel;
import dev.voicebus.ingest.server.HttpReplies;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * An upload cannot play audio back; ending it early answers with an error status and closes once
 * the client has seen it.
 */
final class UploadCallChannel implements CallChannel {

  private final Channel channel;

  UploadCallChannel(Channel channel) {
    this.channel = channel;
  }

  @Override
  public void writeAudio(byte[] frame) {}

  @Override
  public void writeMark(String name) {}

  @Override
  public void writeClear() {}

  @Override
  public void flush() {}

  @Override
  public void close(int code, String reason) {
    if (channel.isActive()) {
      var status =
          code >= 400 && code < 600
              ? HttpResponseStatus.valueOf(code)
              : HttpResponseStatus.SERVICE_UNAVAILABLE;
      HttpReplies.errorAndLinger(channel, status, reason);
    }
  }

  @Override
  public boolean playsAudio() {
    return false;
  }
}

package dev.voicebus.ingest.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.ingest.admin.IngestMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeaderDeadlineTest {

  private static EmbeddedChannel channel(IngestMetrics metrics) {
    return new EmbeddedChannel(
        new HeaderDeadline(Duration.ofSeconds(5), metrics), new HttpServerCodec());
  }

  private static void drip(EmbeddedChannel channel, String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
  }

  @Test
  void closesAConnectionWhoseHeadersDripInSlowerThanTheDeadlineWith408() {
    var metrics = new IngestMetrics();
    var channel = channel(metrics);
    String request = "GET /twilio/media HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    for (int second = 0; second < 4; second++) {
      drip(channel, request.substring(second * 10, second * 10 + 10));
      channel.advanceTimeBy(1, TimeUnit.SECONDS);
      channel.runScheduledPendingTasks();
      assertThat(channel.isOpen()).isTrue();
    }
    channel.advanceTimeBy(1, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();

    String response =
        channel.<io.netty.buffer.ByteBuf>readOutbound().toString(StandardCharsets.US_ASCII);
    assertThat(response).startsWith("HTTP/1.1 408 Request Timeout");
    assertThat(response).contains("request line and headers not received within 5000 ms");
    assertThat(channel.isOpen()).isFalse();
    assertThat(metrics.scrape())
        .contains(
            "voicebus_ingest_errors_total{kind=\"header-timeout\",service=\"voicebus-ingest\"} 1.0");
  }

  @Test
  void isLiftedWhenTheHandlerIsRemovedAfterACompleteRequest() {
    var channel = channel(new IngestMetrics());
    drip(channel, "GET /v1/stream HTTP/1.1\r\nHost: x\r\n\r\n");
    channel.pipeline().remove(HeaderDeadline.class);
    channel.advanceTimeBy(1, TimeUnit.MINUTES);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isTrue();
    assertThat((Object) channel.readOutbound()).isNull();
  }
}

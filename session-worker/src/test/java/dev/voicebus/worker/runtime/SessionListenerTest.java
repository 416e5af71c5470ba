package dev.voicebus.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.realtime.client.RealtimeConnectException;
import dev.voicebus.realtime.client.RealtimeHandshakeException;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.worker.session.CallCoordinator;
import dev.voicebus.worker.session.Effect;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SessionListenerTest {

  private final List<Function<CallCoordinator, List<Effect>>> delivered = new ArrayList<>();
  private final SessionListener listener = new SessionListener(1, delivered::add);

  @Test
  void eventsThatArriveBeforeTheOpenIsHandedOverWaitForIt() {
    listener.onEvent(new ServerEvent.RateLimitsUpdated("e1", List.of()));
    listener.onClose(1011, "server error");
    assertThat(delivered).isEmpty();

    Function<CallCoordinator, List<Effect>> opened = c -> List.of();
    listener.opened(opened);
    assertThat(delivered).hasSize(3).first().isSameAs(opened);

    listener.onEvent(new ServerEvent.RateLimitsUpdated("e2", List.of()));
    assertThat(delivered).hasSize(4);
  }

  @Test
  void onlyHandshakeRefusalsThatTheSameKeyCannotFixAreFatal() {
    String url = "wss://api.openai.com/v1/realtime?model=gpt-realtime";
    assertThat(LiveCall.isFatal(new RealtimeHandshakeException(url, 401, "Unauthorized", "")))
        .isTrue();
    assertThat(
            LiveCall.isFatal(
                new CompletionException(new RealtimeHandshakeException(url, 403, "Forbidden", ""))))
        .isTrue();
    assertThat(LiveCall.isFatal(new RealtimeHandshakeException(url, 429, "Too Many Requests", "")))
        .isFalse();
    assertThat(LiveCall.isFatal(new RealtimeHandshakeException(url, 503, "Unavailable", "401")))
        .as("a body that mentions 401 is no reason")
        .isFalse();
    assertThat(LiveCall.isFatal(new RealtimeConnectException(url, "refused", new IOException())))
        .isFalse();
  }
}

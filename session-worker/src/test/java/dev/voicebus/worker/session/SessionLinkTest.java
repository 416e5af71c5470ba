package dev.voicebus.worker.session;

import static dev.voicebus.worker.session.CallFixture.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallSource;
import dev.voicebus.observability.trace.Tracing;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.worker.metrics.WorkerMetrics;
import dev.voicebus.worker.session.CallFixture.FakeConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SessionLinkTest {

  private final FakeConnection connection = new FakeConnection("rt-1");
  private final CallScope scope =
      new CallScope(
          new CallContext(
              "call-1",
              "acme",
              CallFixture.profiles().find("support").orElseThrow(),
              AudioCodec.PCMU,
              "out",
              0,
              CallFixture.T0,
              CallSource.TWILIO,
              null),
          CallFixture.SETTINGS,
          CallFixture.started(),
          new CallFixture.MovableClock(CallFixture.T0),
          new WorkerMetrics(new SimpleMeterRegistry()),
          Tracing.off());
  private final SessionLink link = scope.link();

  @Test
  void aSipCallIsAcceptedThenAttachedAndOnlyAnAcceptingLinkTakesAcceptMoves() {
    var sip =
        new CallScope(
            new CallContext(
                "call-1",
                "acme",
                CallFixture.profiles().find("support").orElseThrow(),
                AudioCodec.PCMU,
                "out",
                0,
                CallFixture.T0,
                CallSource.SIP,
                "rtc_1"),
            CallFixture.SETTINGS,
            CallFixture.started(),
            new CallFixture.MovableClock(CallFixture.T0),
            new WorkerMetrics(new SimpleMeterRegistry()),
            Tracing.off());
    var sipLink = sip.link();
    sipLink.start(Optional.empty());
    assertThat(sipLink.state()).isEqualTo(new SessionLink.Accepting(1, null, 1));
    assertThat(sipLink.phase()).isEqualTo("connecting");
    sipLink.accepted();
    assertThat(sipLink.state()).isEqualTo(new SessionLink.Connecting(1, null, 1));
    assertThatThrownBy(sipLink::accepted).isInstanceOf(IllegalStateException.class);
    sipLink.opened(connection);
    sipLink.lost();
    assertThat(sipLink.isEnded()).isTrue();
    assertThat(only(sip.drain(), Effect.CloseSession.class)).as("lost: nothing to close").isEmpty();

    link.start(Optional.empty());
    assertThatThrownBy(link::accepted).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> link.acceptFailed(true)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void walksConnectingOpenReconnectingAndBackWithANewGeneration() {
    link.start(Optional.empty());
    assertThat(link.state()).isEqualTo(new SessionLink.Connecting(1, null, 1));
    link.opened(connection);
    assertThat(link.state()).isEqualTo(new SessionLink.Open(1, connection));
    link.closed(1011, "server error");
    assertThat(link.state()).isInstanceOf(SessionLink.Reconnecting.class);
    assertThat(link.isCurrent(1)).isTrue();
    link.reconnectDue();
    assertThat(link.state().generation()).isEqualTo(2);
    assertThat(link.isCurrent(1)).isFalse();
    assertThat(scope.drain())
        .containsSubsequence(new Effect.OpenSession(1), new Effect.OpenSession(2));
  }

  @Test
  void givesUpAfterTheLastAttemptOrAtOnceOnAFatalFailure() {
    link.start(Optional.empty());
    assertThat(link.failed("refused", false)).isTrue();
    link.reconnectDue();
    assertThat(link.failed("refused", false)).isTrue();
    link.reconnectDue();
    assertThat(link.failed("refused", false)).as("third of three attempts").isFalse();
    assertThat(link.isEnded()).isTrue();

    var other = new CallFixture("support").call;
    other.start(Optional.empty());
    assertThat(other.onSessionFailed(1, "HTTP 401", true))
        .noneMatch(Effect.StartTimer.class::isInstance);
  }

  @Test
  void holdsAudioWhileNotOpenDroppingTheOldestBeyondTheLimit() {
    link.start(Optional.empty());
    for (int i = 0; i < CallFixture.SETTINGS.maxBufferedFrames() + 2; i++) {
      assertThat(link.audio(new byte[] {(byte) i})).isFalse();
    }
    scope.drain();
    link.opened(connection);
    link.releaseHeldAudio();

    List<Effect> sent = scope.drain();
    assertThat(sent).hasSize(CallFixture.SETTINGS.maxBufferedFrames());
    assertThat(
            ((ClientEvent.InputAudioBufferAppend) ((Effect.ToRealtime) sent.get(0)).event())
                .audio())
        .isEqualTo("Ag==");
  }

  @Test
  void audioWaitsWhileTheSocketCannotTakeMoreAndGoesFirstWhenItCan() {
    link.start(Optional.empty());
    link.opened(connection);
    scope.drain();
    connection.writable = false;
    assertThat(link.audio(new byte[] {1})).isFalse();
    assertThat(link.audio(new byte[] {2})).isFalse();
    assertThat(scope.drain()).isEmpty();

    connection.writable = true;
    assertThat(link.audio(new byte[] {3})).isTrue();

    assertThat(scope.drain())
        .extracting(
            e -> ((ClientEvent.InputAudioBufferAppend) ((Effect.ToRealtime) e).event()).audio())
        .containsExactly("AQ==", "Ag==", "Aw==");
  }

  @Test
  void everyMoveTheStateForbidsThrows() {
    assertIllegal(l -> l.opened(connection), "open a session");
    assertIllegal(l -> l.closed(1000, "x"), "lose the session");
    assertIllegal(SessionLink::reconnectDue, "reconnect");
    assertIllegal(SessionLink::rotate, "rotate");
    assertIllegal(l -> l.end(1000, "x"), "end");

    link.start(Optional.empty());
    assertIllegal(l -> l.start(Optional.empty()), "start");
    assertIllegal(l -> l.closed(1000, "x"), "lose the session");
    assertIllegal(SessionLink::reconnectDue, "reconnect");
    assertIllegal(SessionLink::rotate, "rotate");

    link.opened(connection);
    assertIllegal(l -> l.opened(connection), "open a session");
    assertIllegal(l -> l.failed("x", false), "fail to connect");
    assertIllegal(SessionLink::reconnectDue, "reconnect");

    link.closed(1006, "dropped");
    assertIllegal(l -> l.opened(connection), "open a session");
    assertIllegal(l -> l.failed("x", false), "fail to connect");
    assertIllegal(l -> l.closed(1000, "x"), "lose the session");
    assertIllegal(SessionLink::rotate, "rotate");

    link.end(1000, "call ended");
    assertIllegal(l -> l.end(1000, "again"), "end");
    assertIllegal(SessionLink::reconnectDue, "reconnect");
    assertIllegal(l -> l.opened(connection), "open a session");
    assertThat(link.audio(new byte[] {1})).isFalse();
  }

  private void assertIllegal(Consumer<SessionLink> move, String named) {
    assertThatThrownBy(() -> move.accept(link))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot " + named)
        .hasMessageContaining("call-1");
  }
}

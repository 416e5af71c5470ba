package dev.voicebus.realtime.sandbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.realtime.client.CloseStatus;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.realtime.sandbox.ClientSession;
import dev.voicebus.realtime.sandbox.SandboxFixture;
import dev.voicebus.realtime.sandbox.fault.CloseMode;
import dev.voicebus.realtime.sandbox.fault.FaultConfig;
import dev.voicebus.realtime.sandbox.fault.FaultPlan;
import dev.voicebus.realtime.session.SessionConfig;
import dev.voicebus.realtime.session.TurnDetection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults injected by the sandbox reach the client as OpenAI's would. */
class FaultInjectionTest {
  @Test
  void sessionCapClosesWith1001AndOpenAisMessage() throws Exception {
    FaultConfig cap = FaultConfig.NONE.withSessionCap(Duration.ofMillis(300));
    try (SandboxFixture f = SandboxFixture.start(SandboxFixture.fast().withFaults(cap));
        ClientSession s = f.open()) {
      CloseStatus closed = s.closed().get(10, TimeUnit.SECONDS);
      assertThat(closed.code()).isEqualTo(1001);
      assertThat(closed.reason()).isEqualTo(FaultPlan.SESSION_CAP_REASON);
    }
  }

  @Test
  void sandboxShutdownTellsLiveSessionsGoingAway() throws Exception {
    try (SandboxFixture f = SandboxFixture.start();
        ClientSession s = f.open()) {
      f.sandbox().close();
      assertThat(s.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1001);
    }
  }

  @Test
  void droppedSocketEndsWithoutACloseFrame() throws Exception {
    FaultConfig drop =
        FaultConfig.NONE.withCloseAfter(Duration.ofMillis(300)).withCloseMode(CloseMode.DROP);
    try (SandboxFixture f = SandboxFixture.start(SandboxFixture.fast().withFaults(drop));
        ClientSession s = f.open()) {
      CloseStatus closed = s.closed().get(10, TimeUnit.SECONDS);
      assertThat(closed.code()).isEqualTo(CloseStatus.ABNORMAL);
    }
  }

  @Test
  void closesWithTheConfiguredCodeAfterNServerEvents() throws Exception {
    FaultConfig afterThree = FaultConfig.NONE.withCloseAfterEvents(3, CloseMode.CLOSE_FRAME, 1011);
    try (SandboxFixture f = SandboxFixture.start(SandboxFixture.fast().withFaults(afterThree));
        ClientSession s = f.open()) {
      s.send(new ClientEvent.SessionUpdate(manual()));
      s.send(new ClientEvent.ResponseCreate());
      CloseStatus closed = s.closed().get(10, TimeUnit.SECONDS);
      assertThat(closed.code()).isEqualTo(1011);
      assertThat(s.events())
          .extracting(ServerEvent::type)
          .containsExactly("session.created", "session.updated", "response.created");
    }
  }

  @Test
  void everySecondResponseFailsWithRateLimitExceeded() throws Exception {
    FaultConfig limited = FaultConfig.NONE.withRateLimitEvery(2);
    try (SandboxFixture f = SandboxFixture.start(SandboxFixture.fast().withFaults(limited));
        ClientSession s = f.open(manual())) {
      s.send(new ClientEvent.ResponseCreate());
      assertThat(s.next(ServerEvent.ResponseDone.class).response().status()).isEqualTo("completed");
      s.send(new ClientEvent.ResponseCreate());
      var failed = s.next(ServerEvent.ResponseDone.class).response();
      assertThat(failed.status()).isEqualTo("failed");
      assertThat(failed.statusDetails().error().code()).isEqualTo("rate_limit_exceeded");
    }
  }

  @Test
  void delayedResponseStillArrivesInOrder() throws Exception {
    FaultConfig delayed = FaultConfig.NONE.withResponseDelay(Duration.ofMillis(200));
    try (SandboxFixture f = SandboxFixture.start(SandboxFixture.fast().withFaults(delayed));
        ClientSession s = f.open(manual())) {
      s.send(new ClientEvent.ResponseCreate());
      s.next(ServerEvent.ResponseCreated.class);
      assertThat(s.next(ServerEvent.ResponseDone.class).response().status()).isEqualTo("completed");
    }
  }

  @Test
  void aScenarioFileBringsItsOwnFaults(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("capped.json"),
        "{\"name\":\"capped\",\"turns\":[{\"caller\":\"hi\",\"say\":\"Hello.\"}],"
            + "\"faults\":{\"session_cap_ms\":3000}}");
    try (SandboxFixture f = SandboxFixture.start(SandboxFixture.fast().withScenarioDir(dir));
        ClientSession s =
            f.open(
                SessionConfig.realtime()
                    .withInstructions("Test agent. [scenario:capped]")
                    .withTurnDetection(TurnDetection.MANUAL)
                    .build())) {
      s.send(new ClientEvent.ResponseCreate());
      var transcript = s.next(ServerEvent.ResponseOutputAudioTranscriptDone.class).transcript();
      assertThat(transcript).isEqualTo("Hello.");
      assertThat(s.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1001);
      assertThat(f.record(s).scenario()).isEqualTo("capped");
    }
  }

  private static SessionConfig manual() {
    return SessionConfig.realtime().withTurnDetection(TurnDetection.MANUAL).build();
  }
}

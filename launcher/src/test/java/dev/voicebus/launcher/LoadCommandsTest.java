package dev.voicebus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bad arguments and an unreachable ingest end {@code loadtest} and {@code bench} in one line. */
class LoadCommandsTest {

  private record Outcome(int exit, String err) {}

  private static Outcome run(String... args) {
    var err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Outcome(VoicebusCli.run(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }

  @Test
  void badValuesExitWithTwo() {
    assertThat(run("loadtest", "--calls", "0").exit()).isEqualTo(2);
    assertThat(run("loadtest", "--duration", "soon").err()).contains("--duration");
    assertThat(run("loadtest", "--chunk-ms", "30").exit()).isEqualTo(2);
    assertThat(run("loadtest", "--url", "http://127.0.0.1:1/x", "--twilio-auth-token", "t").exit())
        .isEqualTo(2);
    assertThat(run("bench", "--sizes", "100,x").exit()).isEqualTo(2);
    assertThat(run("bench", "--sizes", "0").exit()).isEqualTo(2);
  }

  @Test
  void unreachableIngestIsOneLineAndExitOne() throws Exception {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Outcome outcome =
        run(
            "loadtest",
            "--calls",
            "2",
            "--duration",
            "2s",
            "--url",
            "ws://127.0.0.1:" + port + "/twilio/media",
            "--twilio-auth-token",
            "token");
    assertThat(outcome.exit()).isEqualTo(1);
    assertThat(outcome.err().strip())
        .startsWith("voicebus: cannot reach ingest at")
        .doesNotContain("\n");
  }
}

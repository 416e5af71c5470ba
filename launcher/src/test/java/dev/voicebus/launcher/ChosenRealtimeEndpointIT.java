package dev.voicebus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxAuth;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code voicebus demo --realtime-url} goes to the endpoint the user names instead of starting the
 * sandbox: here an Azure-style endpoint (given as {@code http://.../v1}, as the Azure portal shows
 * one) that accepts only its key in an {@code api-key} header.
 */
class ChosenRealtimeEndpointIT {

  @Test
  void demoTalksToTheChosenEndpointWithAnApiKeyHeader() {
    String key = "azure-k3y-" + System.nanoTime();
    try (var azure =
        RealtimeSandbox.start(SandboxConfig.defaults().withAuth(SandboxAuth.apiKeyHeader(key)))) {
      var captured = new ByteArrayOutputStream();
      PrintStream original = System.out;
      int exit;
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        exit =
            VoicebusCli.run(
                "demo",
                "--openai-key=" + key,
                "--realtime-url=" + azure.httpBaseUri(),
                "--set",
                "worker.realtime-auth=api-key");
      } finally {
        System.setOut(original);
      }
      String output = captured.toString(StandardCharsets.UTF_8);
      original.println(output);

      assertThat(exit).isZero();
      assertThat(output)
          .contains("Calling the agent (Realtime at 127.0.0.1)")
          .doesNotContain("Starting the Realtime sandbox")
          .contains("caller | It's A1001. I paid with my card [card ****1111].")
          .contains("agent  | You're welcome. Have a great day, goodbye!");
      assertThat(azure.sessions()).isNotEmpty();
    }
  }

  @Test
  void aChosenEndpointWithoutAKeyFailsBeforeAnythingConnects() {
    var err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    int exit;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      exit =
          VoicebusCli.run(
              "demo", "--openai-key=", "--set", "worker.realtime-url=wss://example.invalid/v1");
    } finally {
      System.setErr(original);
    }
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("voicebus: worker.realtime-url is set, so the sandbox is not used")
        .contains("--openai-key");
  }
}

package dev.voicebus.realtime.sandbox.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.realtime.sandbox.SchemaCheck;
import dev.voicebus.realtime.sandbox.TestTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Node SDK ({@code openai} from npm, {@code OpenAIRealtimeWS}) holds a session
 * against the sandbox: it connects over wss with {@code baseURL} pointed at the sandbox, updates
 * the session, streams caller audio that the VAD turns into a turn, and parses a full response.
 * Needs {@code node} and {@code npm} on the PATH; runs {@code npm ci} once if node_modules is
 * missing.
 */
class NodeSdkInteropTest {
  private static final Path NODE_DIR = Path.of("src", "test", "node");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void officialNodeSdkHoldsAVoiceSessionAgainstTheSandbox() throws Exception {
    requireTool("node");
    requireTool("npm");
    if (!Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("openai"))) {
      Result ci = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
      assertThat(ci.exit()).as("npm ci failed:\n%s", ci.output()).isZero();
    }
    TestTls.Material tls = TestTls.create(Path.of("target", "interop-tls"));
    SchemaCheck schemas = new SchemaCheck();
    try (RealtimeSandbox sandbox =
        RealtimeSandbox.start(SandboxConfig.defaults().withTls(tls.settings()), schemas)) {
      Result r =
          run(
              List.of("node", "interop.mjs"),
              Map.of(
                  "SANDBOX_BASE_URL", sandbox.httpBaseUri().toString(),
                  "SANDBOX_CA", tls.certificatePem().toAbsolutePath().toString()),
              60);
      assertThat(r.exit()).as("node interop.mjs failed:\n%s", r.output()).isZero();
      String last = r.stdout().strip().lines().reduce((a, b) -> b).orElse("{}");
      JsonNode summary = MAPPER.readTree(last);
      System.out.println("Node SDK summary: " + last);
      assertSummary(summary);
    }
    Map<String, Integer> validated = schemas.assertAllValid();
    System.out.println("Schema-validated server events: " + validated);
    assertThat(validated)
        .containsKeys("session.created", "response.output_audio.delta", "response.done");
  }

  private static void assertSummary(JsonNode summary) {
    assertThat(summary.path("sessionCreated").asBoolean()).isTrue();
    assertThat(summary.path("sessionUpdated").asBoolean()).isTrue();
    assertThat(summary.path("outputFormat").asText()).isEqualTo("audio/pcmu");
    assertThat(summary.path("speechStartedMs").asLong()).isBetween(100L, 160L);
    assertThat(summary.path("speechStoppedMs").asLong()).isBetween(2050L, 2150L);
    assertThat(summary.path("inputTranscript").asText()).contains("order");
    assertThat(summary.path("responseStatus").asText()).isEqualTo("completed");
    assertThat(summary.path("audioDeltas").asInt()).isPositive();
    String transcript = summary.path("transcript").asText();
    assertThat(transcript).contains("Acme support");
    // 65 ms of audio per character at 8 bytes per ms (pcmu).
    assertThat(summary.path("audioBytes").asLong())
        .isBetween(transcript.length() * 65L * 8 - 800, transcript.length() * 65L * 8 + 800);
    assertThat(summary.path("usageTotalTokens").asInt()).isPositive();
    assertThat(summary.path("order").toString())
        .contains("\"response.created\",\"rate_limits.updated\",\"response.output_item.added\"");
  }

  private static void requireTool(String tool) throws InterruptedException {
    try {
      Result r = run(List.of(tool, "--version"), Map.of(), 30);
      assertThat(r.exit()).as("%s --version failed: %s", tool, r.output()).isZero();
    } catch (IOException e) {
      throw new AssertionError(
          "'" + tool + "' is required for the Node SDK interop test but is not on the PATH", e);
    }
  }

  private record Result(int exit, String stdout, String output) {}

  private static Result run(List<String> cmd, Map<String, String> env, int timeoutSeconds)
      throws IOException, InterruptedException {
    Path err = Files.createTempFile("interop", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(NODE_DIR.toFile());
    pb.environment().putAll(env);
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " timed out after " + timeoutSeconds + " s");
    }
    String stderr = Files.readString(err);
    Files.deleteIfExists(err);
    return new Result(p.exitValue(), stdout, stdout + "\n" + stderr);
  }
}

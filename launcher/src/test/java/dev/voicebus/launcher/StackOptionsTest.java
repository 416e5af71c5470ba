package dev.voicebus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The OpenAI key can come from a file, so that it never shows in a process listing. */
class StackOptionsTest {

  private static StackOptions parse(String... args) {
    var dev = new DevCommand();
    new CommandLine(dev).parseArgs(args);
    return dev.stack;
  }

  @Test
  void readsTheKeyFromTheFileTrimmed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("openai.key");
    Files.writeString(file, "sk-from-file\n");
    assertThat(parse("--openai-key-file", file.toString()).toLocal(0, 0).openAiKey())
        .contains("sk-from-file");
    assertThat(parse("--openai-key", "sk-inline").toLocal(0, 0).openAiKey()).contains("sk-inline");
  }

  @Test
  void aMissingFileOrBothOptionsAreBadArgumentsThatNameTheOptionButNeverTheKey(@TempDir Path dir)
      throws Exception {
    Path missing = dir.resolve("missing.key");
    assertThatThrownBy(() -> parse("--openai-key-file", missing.toString()).toLocal(0, 0))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage(
            "--openai-key-file='"
                + missing
                + "' is invalid: cannot read the file (NoSuchFileException)");
    Path file = dir.resolve("openai.key");
    Files.writeString(file, "sk-from-file");
    assertThatThrownBy(
            () ->
                parse("--openai-key", "sk-inline", "--openai-key-file", file.toString())
                    .toLocal(0, 0))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("give --openai-key or --openai-key-file, not both")
        .message()
        .doesNotContain("sk-inline");
    assertThat(VoicebusCli.run("dev", "--openai-key-file", missing.toString())).isEqualTo(2);
  }
}

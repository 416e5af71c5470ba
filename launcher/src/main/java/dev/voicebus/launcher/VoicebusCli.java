package dev.voicebus.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.voicebus.observability.log.LogFormat;
import dev.voicebus.schemas.config.ConfigSource;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code voicebus} command. Every failure ends in one line naming what went wrong and a
 * non-zero exit status: 2 for bad arguments, 1 for anything else.
 */
@Command(
    name = "voicebus",
    mixinStandardHelpOptions = true,
    version = "voicebus 0.1.0",
    description = "Voice-agent phone calls on Apache Kafka and the OpenAI Realtime API.",
    subcommands = {
      DevCommand.class,
      DemoCommand.class,
      CallCommand.class,
      DialCommand.class,
      SipCallCommand.class,
      LoadTestCommand.class,
      BenchCommand.class,
      TailCommand.class
    })
public final class VoicebusCli {

  @Option(
      names = "--verbose",
      description = "Show the services' INFO logs.",
      scope = CommandLine.ScopeType.INHERIT)
  void verbose(boolean on) {
    ((Logger) LoggerFactory.getLogger("dev.voicebus")).setLevel(on ? Level.INFO : Level.WARN);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    try {
      LogFormat.configure(ConfigSource.load(Optional.empty()));
    } catch (IllegalArgumentException e) {
      System.err.println("voicebus: " + e.getMessage());
      return 2;
    }
    return new CommandLine(new VoicebusCli())
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              cmd.getErr().println("voicebus: " + oneLine(e));
              return 1;
            })
        .execute(args);
  }

  static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null
        && root.getMessage() != null
        && root.getMessage().contains(root.getCause().getClass().getName())) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.replace('\n', ' ');
  }
}

package dev.voicebus.launcher;

import dev.voicebus.launcher.local.LocalStack;
import dev.voicebus.schemas.config.ConfigSource;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code voicebus dev}: every service on an embedded broker, up until Ctrl+C. */
@Command(
    mixinStandardHelpOptions = true,
    name = "dev",
    description =
        "Run Kafka, the Realtime sandbox (or OpenAI), ingest, a worker, the tool executor and analytics"
            + " (with the web console) in one process.")
final class DevCommand implements Callable<Integer> {

  @Mixin StackOptions stack;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Ingest port for calls (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--admin-port",
      defaultValue = "8081",
      description = "Ingest health and metrics port (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(
      names = "--worker-admin-port",
      defaultValue = "8082",
      description = "Session worker health and metrics port (default: ${DEFAULT-VALUE}).")
  int workerAdminPort;

  @Option(
      names = "--tools-admin-port",
      defaultValue = "8083",
      description = "Tool executor health and metrics port (default: ${DEFAULT-VALUE}).")
  int toolsAdminPort;

  @Option(
      names = "--analytics-port",
      defaultValue = "8084",
      description = "Analytics query API and web console port (default: ${DEFAULT-VALUE}).")
  int analyticsPort;

  @Option(
      names = "--analytics-admin-port",
      defaultValue = "8085",
      description = "Analytics health and metrics port (default: ${DEFAULT-VALUE}).")
  int analyticsAdminPort;

  @Override
  public Integer call() throws Exception {
    var stopped = new CountDownLatch(1);
    var options =
        stack.toLocal(
            port,
            adminPort,
            Map.of(
                "worker.admin-port",
                String.valueOf(workerAdminPort),
                "tool-executor.http-port",
                String.valueOf(toolsAdminPort),
                "analytics.port",
                String.valueOf(analyticsPort),
                "analytics.admin-port",
                String.valueOf(analyticsAdminPort)));
    var local = LocalStack.start(options, line -> System.out.println(line));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Stopping Voicebus...");
                  local.close();
                  stopped.countDown();
                },
                "voicebus-dev-shutdown"));
    printEndpoints(local);
    stopped.await();
    return 0;
  }

  /** The token to print, or where it is when the user keeps it in a file (then never printed). */
  private String shown(String key, String token) {
    String file = stack.settings.get(key + ConfigSource.FILE_SUFFIX);
    return file == null ? token : "\"$(cat " + file + ")\"";
  }

  /**
   * The console URL; the token rides in the fragment, which the browser keeps to itself (it is
   * never sent to a server). A token kept in a file is not printed.
   */
  private String consoleLink(String url, String token) {
    if (stack.settings.containsKey("ingest.api-token" + ConfigSource.FILE_SUFFIX)) {
      return url + "  (enter the token from " + stack.settings.get("ingest.api-token.file") + ")";
    }
    return url + "#token=" + token;
  }

  private void printEndpoints(LocalStack local) {
    String twilioToken = shown("ingest.twilio.auth-token", local.twilioAuthToken());
    String apiToken = shown("ingest.api-token", local.apiToken());
    String host = "127.0.0.1:" + local.ingestPort();
    System.out.println();
    System.out.println("Voicebus dev mode is up.");
    System.out.println(
        "  Kafka           "
            + local.bootstrapServers()
            + "  (topics prefixed "
            + local.kafka().topics().prefix()
            + ")");
    System.out.println(
        "  Realtime        "
            + local.realtimeUri()
            + (local.sandbox().isPresent()
                ? "  (local sandbox; set OPENAI_API_KEY to use OpenAI, or --realtime-url)"
                : ""));
    System.out.println(
        "  Twilio stream   ws://"
            + host
            + "/twilio/media  (X-Twilio-Signature with auth token "
            + twilioToken
            + ")");
    System.out.println(
        "  Plain stream    ws://" + host + "/v1/stream  (Authorization: Bearer " + apiToken + ")");
    System.out.println("  HTTP upload     POST http://" + host + "/v1/calls  (same bearer token)");
    System.out.println(
        "  Ingest admin    http://127.0.0.1:" + local.adminPort() + "/healthz  /readyz  /metrics");
    System.out.println(
        "  Worker admin    http://127.0.0.1:"
            + local.workerAdminPort()
            + "/healthz  /readyz  /metrics");
    local
        .toolExecutorAdminPort()
        .ifPresent(
            p ->
                System.out.println(
                    "  Tools admin     http://127.0.0.1:" + p + "/healthz  /readyz  /metrics"));
    local
        .analyticsPort()
        .ifPresent(
            p ->
                System.out.println(
                    "  Analytics API   http://127.0.0.1:"
                        + p
                        + "/v1/calls  (same bearer token; see README, \"Call analytics\")"));
    local
        .analyticsAdminPort()
        .ifPresent(
            p ->
                System.out.println(
                    "  Analytics admin http://127.0.0.1:" + p + "/healthz  /readyz  /metrics"));
    local
        .consoleUrl()
        .ifPresent(
            url -> System.out.println("  Web console     " + consoleLink(url, local.apiToken())));
    System.out.println();
    System.out.println(
        "Point a Twilio <Connect><Stream> (through a tunnel) or any media server at the URLs above,");
    System.out.println("or replay a recording as a Twilio call (in another terminal):");
    System.out.println(
        "  java -jar launcher/target/voicebus.jar call --wav FILE.wav --url ws://"
            + host
            + "/twilio/media --twilio-token "
            + twilioToken
            + " --bootstrap "
            + local.bootstrapServers());
    System.out.println("Ctrl+C stops everything.");
  }
}

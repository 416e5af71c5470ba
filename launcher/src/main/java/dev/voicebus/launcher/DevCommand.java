package dev.voicebus.launcher;

import dev.voicebus.launcher.local.LocalStack;
import dev.voicebus.schemas.config.ConfigSource;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voicebus dev}: every service on an embedded broker, up until Ctrl+C. Twilio's voice
 * webhook is on with a made-up number ({@value #DEV_NUMBER}, profile {@code support}) unless the
 * user set {@code ingest.twilio.numbers}, so a simulated inbound call works at once; the printed
 * lines say how to place one, and how to connect a real Twilio number through a tunnel. With the
 * sandbox, OpenAI's SIP path is on too (the sandbox delivers signed webhooks to ingest's {@code
 * /openai/webhook}); the printed {@code voicebus sip-call} line places a simulated SIP call.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "dev",
    description =
        "Run Kafka, the Realtime sandbox (or OpenAI), ingest, a worker, the tool executor and analytics"
            + " (with the web console) in one process.")
final class DevCommand implements Callable<Integer> {

  /** The number the dev voice webhook answers unless ingest.twilio.numbers is set. */
  static final String DEV_NUMBER = "+15550100000";

  private static final String NUMBERS = "ingest.twilio.numbers";

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

  @Option(
      names = "--webhooks-file",
      paramLabel = "FILE",
      description =
          "Endpoints to deliver call events to (JSON or YAML, see README \"Receive call events\");"
              + " starts the event-webhooks service. Same as --set event-webhooks.webhooks-file=FILE.")
  Path webhooksFile;

  @Option(
      names = "--webhooks-admin-port",
      defaultValue = "8088",
      description = "Event webhooks health and metrics port (default: ${DEFAULT-VALUE}).")
  int webhooksAdminPort;

  @Override
  public Integer call() throws Exception {
    var stopped = new CountDownLatch(1);
    if (webhooksFile != null) {
      stack.settings.put("event-webhooks.webhooks-file", webhooksFile.toString());
    }
    if (!stack.settings.containsKey(NUMBERS)
        && !stack.settings.containsKey(NUMBERS + ConfigSource.FILE_SUFFIX)) {
      stack.settings.put(NUMBERS, DEV_NUMBER + "=support");
    }
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
                String.valueOf(analyticsAdminPort),
                "event-webhooks.admin-port",
                String.valueOf(webhooksAdminPort)));
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
    String numbers = stack.settings.get(NUMBERS);
    boolean webhook =
        (numbers != null && !numbers.isBlank())
            || stack.settings.containsKey(NUMBERS + ConfigSource.FILE_SUFFIX);
    String jar = "java -jar launcher/target/voicebus.jar";
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
                : "  (OpenAI or --realtime-url)"));
    if (webhook) {
      System.out.println(
          "  Voice webhook   POST http://"
              + host
              + "/twilio/voice  (numbers "
              + (numbers == null
                  ? "from " + stack.settings.get(NUMBERS + ConfigSource.FILE_SUFFIX)
                  : numbers)
              + "; signed with auth token "
              + twilioToken
              + ")");
      System.out.println(
          "  Twilio stream   ws://"
              + host
              + "/twilio/media  (with the stream token of the webhook's TwiML)");
    } else {
      System.out.println(
          "  Twilio stream   ws://"
              + host
              + "/twilio/media  (X-Twilio-Signature with auth token "
              + twilioToken
              + ")");
    }
    System.out.println(
        "  Plain stream    ws://" + host + "/v1/stream  (Authorization: Bearer " + apiToken + ")");
    System.out.println("  HTTP upload     POST http://" + host + "/v1/calls  (same bearer token)");
    System.out.println(
        "  Outbound calls  POST http://"
            + host
            + "/v1/calls/outbound  (same bearer token; needs a Twilio account, see README)");
    local
        .sipRoutes()
        .ifPresent(
            routes ->
                System.out.println(
                    "  OpenAI webhook  POST http://"
                        + host
                        + "/openai/webhook  (SIP calls; routes "
                        + routes
                        + (local.sandbox().isPresent()
                            ? "; the sandbox signs with a generated whsec_ secret)"
                            : ")")));
    local
        .sandbox()
        .ifPresent(
            s ->
                System.out.println(
                    "  SIP calls       POST "
                        + s.httpBaseUri().resolve("/sandbox/sip/calls")
                        + "  (the sandbox plays OpenAI's SIP side)"));
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
    local
        .recorder()
        .ifPresent(
            recorder -> {
              recorder
                  .adminPort()
                  .ifPresent(
                      p ->
                          System.out.println(
                              "  Recorder admin  http://127.0.0.1:"
                                  + p
                                  + "/healthz  /readyz  /metrics"));
              System.out.println("  Recordings      " + recorder.store().describe());
            });
    local
        .eventWebhooksAdminPort()
        .ifPresent(
            p ->
                System.out.println(
                    "  Webhooks admin  http://127.0.0.1:"
                        + p
                        + "/healthz  /readyz  /metrics  (call events to the endpoints of "
                        + stack.settings.get("event-webhooks.webhooks-file")
                        + ")"));
    System.out.println();
    String transcript = " --bootstrap " + local.bootstrapServers();
    if (webhook) {
      String to = numbers == null ? "NUMBER" : numbers.split("[=,\\s]")[0];
      System.out.println(
          "Simulate an inbound call: Twilio's webhook, then its Media Stream (in another terminal):");
      System.out.println(
          "  "
              + jar
              + " call --wav FILE.wav --webhook http://"
              + host
              + "/twilio/voice --to "
              + to
              + " --twilio-token "
              + twilioToken
              + transcript);
      System.out.println(
          "A real Twilio number: expose port "
              + local.ingestPort()
              + " through a tunnel (e.g. ngrok http "
              + local.ingestPort()
              + "), restart with");
      System.out.println(
          "  --set ingest.public-url=https://YOUR-TUNNEL --set ingest.twilio.account-sid=AC..."
              + " --set ingest.twilio.auth-token.file=FILE --set ingest.twilio.numbers=+1YOURNUMBER=support");
      System.out.println(
          "and set the number's voice webhook (A call comes in) to https://YOUR-TUNNEL/twilio/voice,"
              + " HTTP POST.");
    } else {
      System.out.println(
          "Point a Twilio <Connect><Stream> (through a tunnel) or any media server at the URLs above,");
      System.out.println("or replay a recording as a Twilio call (in another terminal):");
      System.out.println(
          "  "
              + jar
              + " call --wav FILE.wav --url ws://"
              + host
              + "/twilio/media --twilio-token "
              + twilioToken
              + transcript);
    }
    if (local.sandbox().isPresent() && local.sipRoutes().isPresent()) {
      String sipTo =
          local
              .sipRoutes()
              .get()
              .strip()
              .split("[=,\\s]")[0]
              .replace("*", LocalStack.DEV_SIP_NUMBER);
      System.out.println(
          "Simulate a SIP call (the sandbox plays OpenAI: signed webhook, calls API, the caller):");
      System.out.println(
          "  "
              + jar
              + " sip-call --url "
              + local.sandbox().get().httpBaseUri().resolve("/")
              + " --to "
              + sipTo
              + " [--scenario pin]"
              + transcript);
    }
    System.out.println("Ctrl+C stops everything.");
  }
}

package dev.voicebus.launcher;

import dev.voicebus.launcher.demo.CallFollower;
import dev.voicebus.launcher.tail.TranscriptTail;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code voicebus tail}: the live transcript and session events of any cluster. */
@Command(
    mixinStandardHelpOptions = true,
    name = "tail",
    description = {
      "Print the live transcript (and with --events the session events) of the calls on a cluster,"
          + " as the demo prints them. Reads call.control, transcripts, tool.calls, tool.results and"
          + " session.events without a consumer group.",
      "--tenant selects calls by the tenant each record carries (or, for records written before"
          + " records carried one, by their CallStarted on call.control); use --since to include"
          + " what calls said before tail started."
    })
final class TailCommand implements Callable<Integer> {

  @Option(
      names = "--bootstrap",
      paramLabel = "SERVERS",
      description =
          "Kafka bootstrap servers (default: kafka.bootstrap.servers, VOICEBUS_KAFKA_BOOTSTRAP_SERVERS"
              + " or 127.0.0.1:9092).")
  String bootstrap;

  @Option(names = "--call", paramLabel = "ID", description = "Only this call (Voicebus call id).")
  String callId;

  @Option(names = "--tenant", paramLabel = "T", description = "Only calls of this tenant.")
  String tenant;

  @Option(
      names = "--events",
      description =
          "Also print every session event (lifecycle, reconnects, usage, summary, ...)"
              + " and each call's start and end.")
  boolean events;

  @Option(
      names = "--since",
      defaultValue = "0s",
      paramLabel = "DURATION",
      description =
          "Start this long ago instead of at the end, e.g. 10m (default: ${DEFAULT-VALUE}).")
  String since;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Client settings, e.g. --set kafka.security.protocol=SASL_SSL or --set topics.prefix=acme.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    Duration start = ConfigSource.parseDuration("--since", since);
    KafkaSettings kafka = KafkaSettings.from(source());
    var follower = new CallFollower(selection(callId, tenant), System.out, events, true);
    try (var tail = new TranscriptTail(kafka, follower, start)) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      tail.close();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  },
                  "voicebus-tail-shutdown"));
      if (tail.awaitPositioned(Duration.ofSeconds(60))) {
        System.err.println("Following calls on " + kafka.bootstrapServers() + " (Ctrl+C stops).");
      }
      tail.join();
      if (tail.failure() != null) {
        throw tail.failure();
      }
    }
    return 0;
  }

  private ConfigSource source() {
    Map<String, String> overrides = new LinkedHashMap<>(settings);
    if (bootstrap != null) {
      overrides.put(KafkaSettings.BOOTSTRAP_SERVERS, bootstrap);
    }
    return ConfigSource.load(Optional.empty()).with(overrides);
  }

  /**
   * The calls to show: by id (at once), by tenant (from the tenant each record carries, or from the
   * call's CallStarted for records written before records carried one), both, or all.
   */
  static CallFollower.Selection selection(String callId, String tenant) {
    if (callId == null && tenant == null) {
      return CallFollower.Selection.ALL;
    }
    if (tenant == null) {
      return new CallFollower.Selection(s -> callId.equals(s.getCallId()), callId::equals);
    }
    return new CallFollower.Selection(
        s -> tenant.equals(s.getTenantId()) && (callId == null || callId.equals(s.getCallId())),
        null,
        recordTenant -> tenant.equals(recordTenant));
  }
}

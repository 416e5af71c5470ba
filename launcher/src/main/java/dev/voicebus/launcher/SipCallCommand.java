package dev.voicebus.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.launcher.demo.LiveTranscript;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code voicebus sip-call}: places a simulated inbound SIP call through the Realtime sandbox,
 * which plays OpenAI's SIP side (its {@code POST /sandbox/sip/calls} hook): the sandbox posts the
 * signed {@code realtime.call.incoming} webhook to the ingest it was told about and plays the
 * caller. Prints the call id; with {@code --bootstrap}, follows the call's live transcript until it
 * ends.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "sip-call",
    description =
        "Place a simulated SIP call through the Realtime sandbox (OpenAI's SIP side) and print its"
            + " call id.")
final class SipCallCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(500);

  @Option(
      names = "--to",
      required = true,
      description = "The called number (a route of ingest.sip.routes), e.g. +15550100000.")
  String to;

  @Option(
      names = "--from",
      defaultValue = "+15550100001",
      description = "The caller's number (default: ${DEFAULT-VALUE}).")
  String from;

  @Option(
      names = "--scenario",
      description =
          "The script the caller follows (a sandbox scenario: default, tools, short, pin,"
              + " transfer); default: the one the accepted instructions name, else default.")
  String scenario;

  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8765",
      description =
          "The Realtime sandbox (default: ${DEFAULT-VALUE}; voicebus dev prints its own).")
  URI url;

  @Option(
      names = "--bootstrap",
      description = "Kafka bootstrap servers, to print the live transcript until the call ends.")
  String bootstrap;

  @Option(
      names = "--topics-prefix",
      defaultValue = "voicebus.",
      description = "Topic prefix (default: ${DEFAULT-VALUE}).")
  String topicsPrefix;

  @Option(
      names = "--timeout",
      defaultValue = "10m",
      description =
          "With --bootstrap: how long to follow the call at most (default: ${DEFAULT-VALUE}).")
  String timeout;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Override
  public Integer call() throws Exception {
    Duration follow = ConfigSource.parseDuration("--timeout", timeout);
    URI hook = hook();
    ObjectNode body = JSON.createObjectNode().put("from", from).put("to", to);
    if (scenario != null) {
      body.put("scenario", scenario);
    }
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(hook)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    JsonNode answer = parse(response.body());
    if (response.statusCode() != 201) {
      throw new IOException(
          "the sandbox did not place the call: HTTP "
              + response.statusCode()
              + ": "
              + answer.path("error").path("message").asText(response.body().strip()));
    }
    String callId = answer.path("call_id").asText();
    System.out.println(
        "SIP call "
            + callId
            + " placed from "
            + from
            + " to "
            + to
            + (scenario == null ? "" : " (scenario " + scenario + ")")
            + "; its realtime.call.incoming webhook goes to "
            + answer.path("webhook_url").asText());
    if (bootstrap == null) {
      return 0;
    }
    try (var transcript = new LiveTranscript(kafka(bootstrap), callId, System.out)) {
      JsonNode ended = awaitEnd(URI.create(hook + "/" + callId), transcript, follow);
      if (ended == null) {
        System.out.println("Still going after " + timeout + "; stopped following " + callId + ".");
      } else {
        // The last turns may still be on their way through Kafka.
        Thread.sleep(1500);
        System.out.println(
            "Call "
                + callId
                + " ended: "
                + ended.path("end_reason").asText("?")
                + " ("
                + ended.path("end_detail").asText("")
                + ")");
      }
    }
    return 0;
  }

  /** The sandbox's hook, from a base such as {@code http://127.0.0.1:8765} or {@code .../v1}. */
  private URI hook() {
    String scheme = String.valueOf(url.getScheme());
    if ((!scheme.equals("http") && !scheme.equals("https")) || url.getHost() == null) {
      throw new IllegalArgumentException("--url " + url + " is not the sandbox's http:// address");
    }
    return url.resolve("/sandbox/sip/calls");
  }

  /** Polls the sandbox for the call's end; null when it did not end within {@code follow}. */
  private JsonNode awaitEnd(URI view, LiveTranscript transcript, Duration follow)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + follow.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode call = parse(send(HttpRequest.newBuilder(view).GET()).body());
      if ("ended".equals(call.path("state").asText()) || transcript.summary().isDone()) {
        return call;
      }
      Thread.sleep(POLL.toMillis());
    }
    return null;
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException(
          "cannot reach the sandbox at " + url + ": " + VoicebusCli.oneLine(e), e);
    }
  }

  private KafkaSettings kafka(String servers) {
    Map<String, String> values = new HashMap<>();
    values.put("kafka.bootstrap.servers", servers);
    values.put("topics.prefix", topicsPrefix);
    return KafkaSettings.from(ConfigSource.of(values));
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}

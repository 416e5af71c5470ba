package dev.voicebus.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.schemas.config.ConfigSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code voicebus dial}: asks a running ingest node to place an outbound call through Twilio
 * ({@code POST /v1/calls/outbound}) and prints the Voicebus call id.
 */
@Command(
    name = "dial",
    description =
        "Place an outbound call through a running ingest node (Twilio) and print its call id.")
final class DialCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--to", required = true, description = "Who to call: E.164 number or SIP URI.")
  String to;

  @Option(
      names = "--from",
      required = true,
      description = "The caller id: an E.164 number of the Twilio account.")
  String from;

  @Option(names = "--profile", description = "Agent profile (default: ingest's choice).")
  String profile;

  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8080",
      description = "Ingest's call port (default: ${DEFAULT-VALUE}).")
  URI url;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "File holding the bearer token (ingest.api-token or one of ingest.tokens-file).")
  Path tokenFile;

  @Option(
      names = "--token",
      defaultValue = "${env:VOICEBUS_INGEST_API_TOKEN}",
      description =
          "The bearer token (default: $VOICEBUS_INGEST_API_TOKEN); shows in the process listing,"
              + " prefer --token-file.")
  String token;

  @Option(
      names = "--machine-detection",
      description = "Twilio answering-machine detection: Enable or DetectMessageEnd.")
  String machineDetection;

  @Option(
      names = "--meta",
      paramLabel = "KEY=VALUE",
      description = "Call metadata, e.g. --meta campaign=renewals.")
  Map<String, String> metadata = new LinkedHashMap<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ObjectNode body = JSON.createObjectNode().put("to", to).put("from", from);
    if (profile != null) {
      body.put("agentProfile", profile);
    }
    if (machineDetection != null) {
      body.put("machineDetection", machineDetection);
    }
    if (!metadata.isEmpty()) {
      ObjectNode meta = body.putObject("metadata");
      metadata.forEach(meta::put);
    }
    String base = url.toString().replaceAll("/+$", "");
    var request =
        HttpRequest.newBuilder(URI.create(base + "/v1/calls/outbound"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + bearer())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    HttpResponse<String> response;
    try {
      response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .build()
              .send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException("cannot reach ingest at " + base + ": " + VoicebusCli.oneLine(e), e);
    }
    JsonNode answer = parse(response.body());
    if (response.statusCode() != 201) {
      throw new IOException(
          "ingest did not place the call: HTTP "
              + response.statusCode()
              + ": "
              + answer.path("error").asText(response.body().strip()));
    }
    System.out.println(
        "Call "
            + answer.path("callId").asText()
            + " placed to "
            + to
            + " (Twilio CallSid "
            + answer.path("callSid").asText()
            + ", tenant "
            + answer.path("tenantId").asText()
            + ", profile "
            + answer.path("agentProfile").asText()
            + ")");
    return 0;
  }

  private String bearer() {
    if (tokenFile != null) {
      if (spec.commandLine().getParseResult().hasMatchedOption("--token")) {
        throw new ParameterException(spec.commandLine(), "give --token or --token-file, not both");
      }
      try {
        return ConfigSource.readValueFile("--token-file", tokenFile);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    if (token == null || token.isBlank()) {
      throw new ParameterException(
          spec.commandLine(),
          "give --token-file FILE (or --token, or $VOICEBUS_INGEST_API_TOKEN): ingest's bearer"
              + " token");
    }
    return token;
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}

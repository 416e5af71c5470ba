package dev.voicebus.tools.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.observability.trace.TraceHeaders;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.config.WebhookToolConfig;
import dev.voicebus.tools.http.BoundedBody;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tool that POSTs each call as JSON to an integrator's HTTP endpoint, signed with {@link
 * WebhookSigner}, and turns the answer into an outcome: a 2xx JSON body is the output, any other
 * status an {@code http_<status>} error (5xx and 429 retryable), no answer in time a retryable
 * {@code timeout} error. The request timeout is the configured one, cut to the call's deadline. The
 * body is read only up to {@code tool-executor.max-result-bytes}: a longer one is a {@code
 * result_too_large} error, never buffered.
 */
public final class WebhookTool implements Tool {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(WebhookTool.class);

  private final WebhookToolConfig config;
  private final HttpClient client;
  private final WebhookSigner signer;
  private final int maxBodyBytes;

  /**
   * @param maxBodyBytes the longest response body read; longer ones are refused while streaming
   */
  public WebhookTool(WebhookToolConfig config, HttpClient client, int maxBodyBytes) {
    this.config = config;
    this.client = client;
    this.signer = new WebhookSigner(config.secret());
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public String description() {
    return config.description();
  }

  @Override
  public JsonNode parametersSchema() {
    return config.parameters();
  }

  @Override
  public boolean idempotent() {
    return config.idempotent();
  }

  @Override
  public ToolOutcome execute(ToolInvocation invocation) throws Exception {
    byte[] body = JSON.writeValueAsBytes(requestBody(invocation));
    long timestamp = Instant.now().getEpochSecond();
    Duration timeout = shorter(config.timeout(), invocation.remaining());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(config.url())
            .timeout(timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout)
            .header("Content-Type", "application/json")
            .header(WebhookSigner.TIMESTAMP_HEADER, Long.toString(timestamp))
            .header(WebhookSigner.SIGNATURE_HEADER, signer.sign(timestamp, body))
            .header("X-Voicebus-Tool-Call-Id", invocation.toolCallId())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    // The executor's span of this tool call is current here: the webhook's trace continues it.
    TraceHeaders.inject(Context.current(), request::header);
    CompletableFuture<HttpResponse<byte[]>> pending =
        client.sendAsync(request.build(), BoundedBody.upTo(maxBodyBytes));
    try {
      return toOutcome(pending.get());
    } catch (InterruptedException e) {
      pending.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      return failure(e.getCause());
    }
  }

  private ObjectNode requestBody(ToolInvocation invocation) {
    ObjectNode node = JSON.createObjectNode();
    node.put("tool", config.name());
    node.put("callId", invocation.callId());
    node.put("toolCallId", invocation.toolCallId());
    invocation.tenantId().ifPresent(t -> node.put("tenantId", t));
    node.set("arguments", invocation.arguments());
    node.put("deadline", invocation.deadline().toString());
    return node;
  }

  private ToolOutcome toOutcome(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return ToolOutcome.ok(parseBody(response.body()));
    }
    String message = "The " + config.name() + " service failed with HTTP status " + status + ".";
    boolean retryable = status >= 500 || status == 429;
    return retryable
        ? ToolOutcome.retryableError("http_" + status, message)
        : ToolOutcome.error("http_" + status, message);
  }

  private static JsonNode parseBody(byte[] body) {
    if (body.length == 0) {
      return JSON.createObjectNode().put("result", "done");
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return JSON.createObjectNode().put("result", new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return JSON.createObjectNode().put("result", "done");
    }
  }

  private ToolOutcome failure(Throwable cause) {
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof BoundedBody.TooLargeException tooLarge) {
        log.warn("Webhook tool {} at {}: {}", config.name(), config.url(), tooLarge.getMessage());
        return ToolOutcome.error(
            "result_too_large",
            "The " + config.name() + " service answered with more information than I can use.");
      }
    }
    if (cause instanceof HttpTimeoutException) {
      return ToolOutcome.retryableError(
          "timeout", "The " + config.name() + " service did not answer in time.");
    }
    return ToolOutcome.retryableError(
        "unreachable", "The " + config.name() + " service cannot be reached right now.");
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}

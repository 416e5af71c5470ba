package dev.voicebus.tools.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.observability.trace.TraceHeaders;
import dev.voicebus.tools.config.McpServerConfig;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.context.Context;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected MCP server (official MCP Java SDK 2.x client over Streamable HTTP or SSE):
 * initialised on {@link #open}, asked for its tools, and closed when the server goes down or the
 * executor stops. Every HTTP request carries the server's configured headers (static ones, a bearer
 * token) and the trace context of the tool call it serves, through request customizers. The SDK
 * reads each response body (and each SSE line) only up to {@link #responseLimit(int)}: a larger
 * message fails its request, which the tool answers as {@code result_too_large}.
 */
public final class McpServerConnection implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(McpServerConnection.class);

  /**
   * The SDK's default validator of structured tool output needs json-schema-validator 2.x, while
   * Voicebus is on 1.5; tool output goes to the model unchanged, so it is accepted as it is.
   */
  private static final JsonSchemaValidator ACCEPT_ALL =
      (schema, content) -> JsonSchemaValidator.ValidationResponse.asValid(null);

  /**
   * How a connection is made besides the server's own settings.
   *
   * @param maxResultBytes {@code tool-executor.max-result-bytes}; bounds what is read per response
   * @param toolsChanged told when the server sends {@code notifications/tools/list_changed} (on an
   *     SDK thread: hand the work off)
   */
  public record Options(int maxResultBytes, Runnable toolsChanged) {}

  private final McpServerConfig config;
  private final McpSyncClient client;
  private final ObjectMapper json;

  private McpServerConnection(McpServerConfig config, McpSyncClient client, ObjectMapper json) {
    this.config = config;
    this.client = client;
    this.json = json;
  }

  /**
   * The most bytes read for one MCP response: twice the result limit (a result may carry its output
   * both as text and as structured content) plus 64 KiB for the JSON-RPC envelope.
   */
  public static int responseLimit(int maxResultBytes) {
    return 2 * maxResultBytes + 64 * 1024;
  }

  /**
   * Connects and initialises; fails with {@link McpUnavailableException} naming the server, its URL
   * and why (refused credentials, no answer, ...), never a header value.
   */
  public static McpServerConnection open(McpServerConfig config, Options options) {
    ObjectMapper json = new ObjectMapper();
    McpJsonMapper mapper = new JacksonMcpJsonMapper(json);
    Consumer<List<McpSchema.Tool>> changed = tools -> options.toolsChanged().run();
    McpSyncClient client =
        McpClient.sync(transport(config, mapper, options))
            .requestTimeout(config.timeout())
            .initializationTimeout(config.timeout())
            .clientInfo(McpSchema.Implementation.builder("voicebus-tool-executor", "0.1.0").build())
            .jsonSchemaValidator(ACCEPT_ALL)
            .toolsChangeConsumer(changed)
            .transportContextProvider(McpServerConnection::traceOfCaller)
            .build();
    try {
      client.initialize();
    } catch (RuntimeException e) {
      client.close();
      throw McpUnavailableException.of(config, "did not initialise", e);
    }
    log.info("Connected to MCP server {} at {}", config.server(), config.url());
    return new McpServerConnection(config, client, json);
  }

  private static McpClientTransport transport(
      McpServerConfig config, McpJsonMapper mapper, Options options) {
    URI url = config.url();
    String base = url.getScheme() + "://" + url.getRawAuthority();
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    int maxResponseBytes = responseLimit(options.maxResultBytes());
    var headers = new ConfiguredHeaders(config.requestHeaders());
    return switch (config.transport()) {
      case STREAMABLE_HTTP ->
          HttpClientStreamableHttpTransport.builder(base)
              .endpoint(path)
              .jsonMapper(mapper)
              .connectTimeout(config.timeout())
              .maxResponseSize(maxResponseBytes)
              .addHttpRequestCustomizer(headers)
              .addHttpRequestCustomizer(McpServerConnection::addTraceHeaders)
              .build();
      case SSE -> sse(base, path, mapper, config, maxResponseBytes, headers);
    };
  }

  // The HTTP+SSE transport is deprecated by the MCP spec (2025-03-26) and in the SDK, but servers
  // that still speak only it exist, so the executor keeps talking to them.
  @SuppressWarnings("deprecation")
  private static McpClientTransport sse(
      String base,
      String path,
      McpJsonMapper mapper,
      McpServerConfig config,
      int maxResponseBytes,
      ConfiguredHeaders headers) {
    return HttpClientSseClientTransport.builder(base)
        .sseEndpoint(path)
        .jsonMapper(mapper)
        .connectTimeout(config.timeout())
        .maxResponseSize(maxResponseBytes)
        .addHttpRequestCustomizer(headers)
        .addHttpRequestCustomizer(McpServerConnection::addTraceHeaders)
        .build();
  }

  /**
   * The trace headers of the calling thread's span (the executor's span of the tool call, current
   * while the tool runs), captured where the SDK asks, on the caller's thread: the requests are
   * sent from the SDK's own threads, where that span is not current.
   */
  private static McpTransportContext traceOfCaller() {
    Map<String, Object> headers = new HashMap<>();
    TraceHeaders.inject(Context.current(), headers::put);
    return headers.isEmpty() ? McpTransportContext.EMPTY : McpTransportContext.create(headers);
  }

  private static void addTraceHeaders(
      HttpRequest.Builder request,
      String method,
      URI endpoint,
      String body,
      McpTransportContext context) {
    for (String field : TraceHeaders.fields()) {
      if (context.get(field) instanceof String value) {
        request.setHeader(field, value);
      }
    }
  }

  /** Every tool the server lists (all pages of {@code tools/list}). */
  public List<McpSchema.Tool> listTools() {
    List<McpSchema.Tool> tools = new ArrayList<>();
    String cursor = null;
    try {
      do {
        McpSchema.ListToolsResult page =
            cursor == null ? client.listTools() : client.listTools(cursor);
        tools.addAll(page.tools());
        cursor = page.nextCursor();
      } while (cursor != null);
    } catch (RuntimeException e) {
      throw McpUnavailableException.of(config, "did not list its tools", e);
    }
    return tools;
  }

  McpSchema.CallToolResult call(McpSchema.CallToolRequest request) {
    return client.callTool(request);
  }

  ObjectMapper json() {
    return json;
  }

  McpServerConfig config() {
    return config;
  }

  @Override
  public void close() {
    try {
      client.closeGracefully();
    } catch (RuntimeException e) {
      log.debug("MCP client {} closed with {}", config.server(), e.toString());
    } finally {
      client.close();
    }
  }
}

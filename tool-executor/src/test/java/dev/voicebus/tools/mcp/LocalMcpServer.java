package dev.voicebus.tools.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * A real MCP server for tests, built with the MCP Java SDK's server API and its Streamable HTTP
 * servlet transport on an embedded Tomcat bound to 127.0.0.1 (an ephemeral port, or a chosen one to
 * play a server that comes up late). It offers {@code get_weather} (structured output), {@code
 * flaky_inventory} (answers {@code isError}) and {@code full_catalogue} (2 MB of text), and more
 * tools added while it runs ({@link #addTool}, announced with {@code tools/list_changed}); a second
 * server on the older HTTP+SSE transport offers {@code get_forecast} (text output). With a required
 * token, every request without {@code Authorization: Bearer <token>} is refused with 401.
 */
public final class LocalMcpServer implements AutoCloseable {

  private final Tomcat tomcat = new Tomcat();
  private final McpSyncServer server;
  private final McpSyncServer sseServer;
  private final Connector connector;
  private final McpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
  public final AtomicInteger weatherCalls = new AtomicInteger();

  /** The {@code traceparent} header of each {@code get_weather} call ("none" without one). */
  public final List<String> weatherTraceparents = new CopyOnWriteArrayList<>();

  /** Requests refused for a missing or wrong bearer token. */
  public final AtomicInteger refused = new AtomicInteger();

  public LocalMcpServer() throws Exception {
    this(0, Optional.empty());
  }

  /**
   * @param port the port to listen on, 0 for any
   * @param requiredToken the bearer token every request must carry, if any
   */
  @SuppressWarnings("deprecation") // the HTTP+SSE transport, still spoken by older servers
  public LocalMcpServer(int port, Optional<String> requiredToken) throws Exception {
    var transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(mapper)
            .mcpEndpoint("/mcp")
            .contextExtractor(
                request ->
                    request.getHeader("traceparent") == null
                        ? McpTransportContext.EMPTY
                        : McpTransportContext.create(
                            Map.of("traceparent", request.getHeader("traceparent"))))
            .build();
    JsonSchemaValidator acceptAll =
        (schema, content) -> JsonSchemaValidator.ValidationResponse.asValid(null);
    server =
        McpServer.sync(transport)
            .serverInfo("weather-test", "1.0.0")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
            .jsonMapper(mapper)
            .jsonSchemaValidator(acceptAll)
            .tools(weather(mapper), inventory(mapper), catalogue(mapper, 2_000_000))
            .build();
    var sseTransport =
        HttpServletSseServerTransportProvider.builder()
            .jsonMapper(mapper)
            .sseEndpoint("/sse")
            .messageEndpoint("/sse/message")
            .build();
    sseServer =
        McpServer.sync(sseTransport)
            .serverInfo("forecast-test", "1.0.0")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
            .jsonMapper(mapper)
            .jsonSchemaValidator(acceptAll)
            .tools(forecast(mapper))
            .build();
    tomcat.setBaseDir(Files.createTempDirectory("mcp-tomcat").toString());
    connector = new Connector();
    connector.setPort(port);
    connector.setProperty("address", "127.0.0.1");
    tomcat.getService().addConnector(connector);
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", null);
    Wrapper servlet = Tomcat.addServlet(context, "mcp", guarded(transport, requiredToken));
    servlet.setAsyncSupported(true);
    context.addServletMappingDecoded("/mcp", "mcp");
    Wrapper sseServlet = Tomcat.addServlet(context, "sse", guarded(sseTransport, requiredToken));
    sseServlet.setAsyncSupported(true);
    context.addServletMappingDecoded("/sse/*", "sse");
    tomcat.start();
  }

  /** The Streamable HTTP endpoint. */
  public String url() {
    return "http://127.0.0.1:" + connector.getLocalPort() + "/mcp";
  }

  /** The SSE endpoint of the second server (HTTP+SSE transport). */
  public String sseUrl() {
    return "http://127.0.0.1:" + connector.getLocalPort() + "/sse";
  }

  /** A free port on 127.0.0.1 now, for a server started later. */
  public static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Adds a tool to the Streamable HTTP server while it runs; the SDK sends {@code
   * notifications/tools/list_changed} to connected clients. The tool answers {@code {"echo": ...}}.
   */
  public void addTool(String name, String description, String inputSchema) {
    var tool = McpSchema.Tool.builder(name, mapper, inputSchema).description(description).build();
    server.addTool(
        McpServerFeatures.SyncToolSpecification.builder()
            .tool(tool)
            .callHandler(
                (exchange, request) ->
                    McpSchema.CallToolResult.builder()
                        .structuredContent(Map.of("echo", String.valueOf(request.arguments())))
                        .build())
            .build());
    server.notifyToolsListChanged();
  }

  /** Refuses requests without the bearer token, as an MCP server behind OAuth or an API gateway. */
  private HttpServlet guarded(HttpServlet transport, Optional<String> requiredToken) {
    if (requiredToken.isEmpty()) {
      return transport;
    }
    String expected = "Bearer " + requiredToken.get();
    return new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      public void init(ServletConfig config) throws ServletException {
        super.init(config);
        transport.init(config);
      }

      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response)
          throws ServletException, IOException {
        if (!expected.equals(request.getHeader("Authorization"))) {
          refused.incrementAndGet();
          response.setHeader("WWW-Authenticate", "Bearer");
          response.sendError(401);
          return;
        }
        transport.service(request, response);
      }
    };
  }

  private static McpServerFeatures.SyncToolSpecification forecast(McpJsonMapper mapper) {
    var tool =
        McpSchema.Tool.builder(
                "get_forecast",
                mapper,
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}")
            .description("Tomorrow's weather in a city.")
            .build();
    return McpServerFeatures.SyncToolSpecification.builder()
        .tool(tool)
        .callHandler(
            (exchange, request) ->
                McpSchema.CallToolResult.builder()
                    .addTextContent("Rain tomorrow in " + request.arguments().get("city"))
                    .build())
        .build();
  }

  private McpServerFeatures.SyncToolSpecification weather(McpJsonMapper mapper) {
    var tool =
        McpSchema.Tool.builder(
                "get_weather",
                mapper,
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                    + "\"required\":[\"city\"]}")
            .description("Current weather in a city.")
            .build();
    return McpServerFeatures.SyncToolSpecification.builder()
        .tool(tool)
        .callHandler(
            (exchange, request) -> {
              weatherCalls.incrementAndGet();
              Object traceparent = exchange.transportContext().get("traceparent");
              weatherTraceparents.add(traceparent == null ? "none" : traceparent.toString());
              String city = String.valueOf(request.arguments().get("city"));
              return McpSchema.CallToolResult.builder()
                  .addTextContent("Sunny in " + city)
                  .structuredContent(Map.of("city", city, "sky", "sunny", "celsius", 21))
                  .build();
            })
        .build();
  }

  /** {@code full_catalogue}: answers {@code size} characters of text, to exceed result limits. */
  private static McpServerFeatures.SyncToolSpecification catalogue(McpJsonMapper mapper, int size) {
    var tool =
        McpSchema.Tool.builder("full_catalogue", mapper, "{\"type\":\"object\",\"properties\":{}}")
            .description("Every product, at once.")
            .build();
    return McpServerFeatures.SyncToolSpecification.builder()
        .tool(tool)
        .callHandler(
            (exchange, request) ->
                McpSchema.CallToolResult.builder().addTextContent("x".repeat(size)).build())
        .build();
  }

  private McpServerFeatures.SyncToolSpecification inventory(McpJsonMapper mapper) {
    var tool =
        McpSchema.Tool.builder("flaky_inventory", mapper, "{\"type\":\"object\",\"properties\":{}}")
            .description("Stock of a product.")
            .build();
    return McpServerFeatures.SyncToolSpecification.builder()
        .tool(tool)
        .callHandler(
            (exchange, request) ->
                McpSchema.CallToolResult.builder()
                    .addTextContent("The inventory database is offline.")
                    .isError(true)
                    .build())
        .build();
  }

  @Override
  public void close() throws LifecycleException {
    server.close();
    sseServer.close();
    tomcat.stop();
    tomcat.destroy();
  }
}

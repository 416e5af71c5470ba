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
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * A real MCP server for tests, built with the MCP Java SDK's server API and its Streamable HTTP
 * servlet transport on an embedded Tomcat bound to 127.0.0.1 (ephemeral port). It offers {@code
 * get_weather} (structured output), {@code flaky_inventory} (answers {@code isError}) and {@code
 * full_catalogue} (2 MB of text); a second server on the older HTTP+SSE transport offers {@code
 * get_forecast} (text output).
 */
public final class LocalMcpServer implements AutoCloseable {

  private final Tomcat tomcat = new Tomcat();
  private final McpSyncServer server;
  private final McpSyncServer sseServer;
  private final Connector connector;
  final AtomicInteger weatherCalls = new AtomicInteger();

  /** The {@code traceparent} header of each {@code get_weather} call ("none" without one). */
  public final List<String> weatherTraceparents = new CopyOnWriteArrayList<>();

  public LocalMcpServer() throws Exception {
    McpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
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
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.getService().addConnector(connector);
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", null);
    Wrapper servlet = Tomcat.addServlet(context, "mcp", transport);
    servlet.setAsyncSupported(true);
    context.addServletMappingDecoded("/mcp", "mcp");
    Wrapper sseServlet = Tomcat.addServlet(context, "sse", sseTransport);
    sseServlet.setAsyncSupported(true);
    context.addServletMappingDecoded("/sse/*", "sse");
    tomcat.start();
  }

  /** The Streamable HTTP endpoint. */
  public String url() {
    return "http://127.0.0.1:" + connector.getLocalPort() + "/mcp";
  }

  /** The SSE endpoint of the second server (HTTP+SSE transport). */
  String sseUrl() {
    return "http://127.0.0.1:" + connector.getLocalPort() + "/sse";
  }

  private static McpServerFeatures.SyncToolSpecification forecast(McpJsonMapper mapper) {
    var tool =
        McpSchema.Tool.builder()
            .name("get_forecast")
            .description("Tomorrow's weather in a city.")
            .inputSchema(
                mapper, "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}")
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
        McpSchema.Tool.builder()
            .name("get_weather")
            .description("Current weather in a city.")
            .inputSchema(
                mapper,
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                    + "\"required\":[\"city\"]}")
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
        McpSchema.Tool.builder()
            .name("full_catalogue")
            .description("Every product, at once.")
            .inputSchema(mapper, "{\"type\":\"object\",\"properties\":{}}")
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
        McpSchema.Tool.builder()
            .name("flaky_inventory")
            .description("Stock of a product.")
            .inputSchema(mapper, "{\"type\":\"object\",\"properties\":{}}")
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

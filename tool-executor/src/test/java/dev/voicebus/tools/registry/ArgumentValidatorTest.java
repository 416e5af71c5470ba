package dev.voicebus.tools.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.tools.api.ToolSchemas;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tool schemas are checked without any network or file access: a reference outside the schema fails
 * registration clearly, and a listening socket the reference points at sees no connection.
 */
class ArgumentValidatorTest {

  private ServerSocket listener;
  private final AtomicInteger connections = new AtomicInteger();
  private Thread acceptor;

  @BeforeEach
  void listen() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor =
        new Thread(
            () -> {
              while (!listener.isClosed()) {
                try (Socket ignored = listener.accept()) {
                  connections.incrementAndGet();
                } catch (IOException e) {
                  return; // closed
                }
              }
            },
            "schema-host");
    acceptor.start();
  }

  @AfterEach
  void close() throws Exception {
    listener.close();
    acceptor.join(5000);
  }

  private String remote(String path) {
    return "http://127.0.0.1:" + listener.getLocalPort() + path;
  }

  @Test
  void aRemoteRefFailsRegistrationNamingItAndNothingConnects() {
    var schema =
        ToolSchemas.parse(
            "{\"type\":\"object\",\"properties\":{\"address\":{\"$ref\":\""
                + remote("/address.json")
                + "\"}}}");

    assertThatThrownBy(() -> new ArgumentValidator("ship_order", schema))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Tool ship_order has an invalid parameters schema")
        .hasMessageContaining(remote("/address.json"))
        .hasMessageContaining("only use references inside themselves");
    assertThat(connections).hasValue(0);
  }

  @Test
  void aRemoteMetaSchemaIsRefusedToo() {
    var schema = ToolSchemas.parse("{\"$schema\":\"" + remote("/meta") + "\",\"type\":\"object\"}");

    assertThatThrownBy(() -> new ArgumentValidator("ship_order", schema))
        .hasMessageContaining(remote("/meta"));
    assertThat(connections).hasValue(0);
  }

  @Test
  void aFileRefIsRefused() {
    var schema =
        ToolSchemas.parse(
            "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"file:///etc/passwd\"}}}");

    assertThatThrownBy(() -> new ArgumentValidator("ship_order", schema))
        .hasMessageContaining("file:///etc/passwd");
  }

  @Test
  void localRefsAndTheStandardMetaSchemaStillWork() {
    var schema =
        ToolSchemas.parse(
            "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
                + "\"$defs\":{\"sku\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{2}[0-9]+$\"}},"
                + "\"properties\":{\"item\":{\"$ref\":\"#/$defs/sku\"}},\"required\":[\"item\"]}");

    var validator = new ArgumentValidator("ship_order", schema);

    assertThat(validator.problems(ToolSchemas.parse("{\"item\":\"AB12\"}"))).isEmpty();
    assertThat(validator.problems(ToolSchemas.parse("{\"item\":\"nope\"}")))
        .singleElement()
        .asString()
        .contains("$.item");
    assertThat(connections).hasValue(0);
  }

  @Test
  void aSchemaWithItsOwnIdResolvesItsInternalRefsWithoutFetchingIt() {
    var schema =
        ToolSchemas.parse(
            "{\"$id\":\""
                + remote("/order.json")
                + "\",\"type\":\"object\",\"$defs\":{\"qty\":{\"type\":\"integer\"}},"
                + "\"properties\":{\"count\":{\"$ref\":\"#/$defs/qty\"}}}");

    var validator = new ArgumentValidator("order", schema);

    assertThat(validator.problems(ToolSchemas.parse("{\"count\":\"two\"}"))).hasSize(1);
    assertThat(connections).hasValue(0);
  }
}

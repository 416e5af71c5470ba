package dev.voicebus.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The orders behind {@code lookup_order}: a JSON object from order id to order, read once from a
 * file or from the small demo file bundled in the jar (orders A1001-A1004).
 */
public final class OrderBook {

  private static final String BUNDLED = "/dev/voicebus/tools/builtin/orders.json";
  private final JsonNode orders;

  private OrderBook(JsonNode orders) {
    if (orders == null || !orders.isObject()) {
      throw new IllegalArgumentException("The orders file must hold a JSON object of orders by id");
    }
    this.orders = orders;
  }

  /** The bundled demo orders. */
  public static OrderBook bundled() {
    try (InputStream in = OrderBook.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException("Missing bundled resource " + BUNDLED);
      }
      return new OrderBook(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + BUNDLED, e);
    }
  }

  /** Orders from {@code file}, or the bundled ones. */
  public static OrderBook load(Optional<Path> file) {
    if (file.isEmpty()) {
      return bundled();
    }
    try {
      return new OrderBook(new ObjectMapper().readTree(Files.readString(file.get())));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "tool-executor.builtins.orders-file='" + file.get() + "' cannot be read", e);
    }
  }

  /** The order with {@code orderId} (case-insensitive, spaces ignored). */
  public Optional<JsonNode> find(String orderId) {
    String normalized = orderId.replace(" ", "").toUpperCase(Locale.ROOT);
    return Optional.ofNullable(orders.get(normalized)).map(JsonNode::deepCopy);
  }
}

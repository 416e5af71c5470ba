package dev.voicebus.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.api.ToolSchemas;
import java.util.Optional;

/**
 * Built-in {@code lookup_order}: the status, ETA and items of an order from the {@link OrderBook}.
 * An unknown order is a {@code not_found} error with a sentence the agent can say.
 */
public final class LookupOrderTool implements Tool {

  private static final JsonNode SCHEMA =
      ToolSchemas.parse(
          """
          {"type": "object",
           "properties": {"order_id": {"type": "string", "minLength": 1,
                                       "description": "The order number, e.g. A1001"}},
           "required": ["order_id"], "additionalProperties": false}
          """);

  private final OrderBook orders;

  public LookupOrderTool(OrderBook orders) {
    this.orders = orders;
  }

  @Override
  public String name() {
    return "lookup_order";
  }

  @Override
  public String description() {
    return "Looks up an order by its order number and returns its status, delivery estimate and"
        + " items.";
  }

  @Override
  public JsonNode parametersSchema() {
    return SCHEMA;
  }

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public ToolOutcome execute(ToolInvocation invocation) {
    String orderId = invocation.arguments().get("order_id").asText();
    Optional<JsonNode> order = orders.find(orderId);
    if (order.isEmpty()) {
      return ToolOutcome.error(
          "not_found", "There is no order with the number " + orderId + ". Please check it.");
    }
    ObjectNode output = ((ObjectNode) order.get()).put("order_id", orderId);
    return ToolOutcome.ok(output);
  }
}

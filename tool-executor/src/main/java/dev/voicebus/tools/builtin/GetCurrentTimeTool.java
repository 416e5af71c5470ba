package dev.voicebus.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.api.ToolSchemas;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Built-in {@code get_current_time}: the date and time now, in a given IANA time zone or UTC. */
public final class GetCurrentTimeTool implements Tool {

  private static final JsonNode SCHEMA =
      ToolSchemas.parse(
          """
          {"type": "object",
           "properties": {"timezone": {"type": "string",
                                       "description": "IANA time zone, e.g. Europe/Berlin"}},
           "additionalProperties": false}
          """);

  private final Clock clock;

  public GetCurrentTimeTool(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "get_current_time";
  }

  @Override
  public String description() {
    return "Returns the current date and time, in the given time zone or in UTC.";
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
    String zoneName = invocation.arguments().path("timezone").asText("UTC");
    ZoneId zone;
    try {
      zone = ZoneId.of(zoneName.isBlank() ? "UTC" : zoneName);
    } catch (DateTimeException e) {
      return ToolOutcome.error("invalid_timezone", "I do not know the time zone " + zoneName + ".");
    }
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
    return ToolOutcome.ok(
        JsonNodeFactory.instance
            .objectNode()
            .put("timezone", zone.getId())
            .put("iso", now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
            .put(
                "spoken",
                now.format(
                    DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", Locale.ENGLISH))));
  }
}

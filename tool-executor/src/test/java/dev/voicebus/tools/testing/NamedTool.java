package dev.voicebus.tools.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.api.ToolSchemas;
import dev.voicebus.tools.registry.ToolFacts;
import java.time.Duration;
import java.util.Optional;

/** A tool with a given name, description and owning tenant, for registry and catalogue tests. */
public record NamedTool(String name, String description, Optional<String> tenantId)
    implements Tool, ToolFacts {

  public NamedTool(String name) {
    this(name, "The " + name + " tool.", Optional.empty());
  }

  @Override
  public JsonNode parametersSchema() {
    return ToolSchemas.noArguments();
  }

  @Override
  public Optional<Duration> timeout() {
    return Optional.of(Duration.ofSeconds(3));
  }

  @Override
  public ToolOutcome execute(ToolInvocation invocation) {
    return ToolOutcome.ok("done");
  }
}

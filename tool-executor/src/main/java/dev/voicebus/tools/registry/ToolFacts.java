package dev.voicebus.tools.registry;

import java.time.Duration;
import java.util.Optional;

/**
 * What the tool catalogue says about a tool besides its name, description and schema: the tenant
 * that owns it (only that tenant's calls are offered it and may run it) and its own per-request
 * timeout. Webhook and MCP tools have them from their settings; Java tools have neither.
 */
public interface ToolFacts {

  /** The tenant that owns the tool; empty for a tool every tenant may use. */
  Optional<String> tenantId();

  /** The tool's own per-request timeout, if it has one (a call's deadline still bounds it). */
  Optional<Duration> timeout();
}

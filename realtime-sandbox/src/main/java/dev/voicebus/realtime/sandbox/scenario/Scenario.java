package dev.voicebus.realtime.sandbox.scenario;

import dev.voicebus.realtime.sandbox.fault.FaultConfig;
import java.util.List;
import java.util.Objects;

/**
 * A scripted conversation: the turns the "model" plays in order, plus optional faults for the
 * sessions that select it. Sessions select a scenario with {@code [scenario:NAME]} in their
 * instructions.
 *
 * @param name the name used in {@code [scenario:NAME]}
 * @param turns turns in order; after the last, the agent says {@link #EXHAUSTED_LINE}
 * @param faults faults for sessions running this scenario, or null to use the sandbox's
 */
public record Scenario(String name, List<ScenarioTurn> turns, FaultConfig faults) {
  /** Spoken when a session asks for more responses than the scenario has turns. */
  public static final String EXHAUSTED_LINE = "Is there anything else I can help you with?";

  public Scenario {
    Objects.requireNonNull(name, "name");
    turns = List.copyOf(turns);
  }
}

package dev.voicebus.realtime.sandbox.scenario;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scenarios a sandbox knows and the rule that picks one per session: {@code [scenario:NAME]} in
 * the session instructions, else the sandbox default. Immutable and shared by all sessions.
 */
public final class ScenarioLibrary {
  private static final Pattern MARKER = Pattern.compile("\\[scenario:([A-Za-z0-9_.-]+)]");

  private final Map<String, Scenario> scenarios;
  private final Scenario defaultScenario;

  public ScenarioLibrary(Map<String, Scenario> scenarios, String defaultName) {
    this.scenarios = Map.copyOf(scenarios);
    this.defaultScenario = scenarios.get(defaultName);
    if (defaultScenario == null) {
      throw new IllegalArgumentException(
          "Default scenario '" + defaultName + "' not found; known: " + scenarios.keySet());
    }
  }

  /** The scenario named in {@code instructions}, or the default. Unknown names throw. */
  public Scenario select(String instructions) {
    Matcher m = MARKER.matcher(instructions == null ? "" : instructions);
    if (!m.find()) {
      return defaultScenario;
    }
    Scenario s = scenarios.get(m.group(1));
    if (s == null) {
      throw new IllegalArgumentException(
          "Unknown scenario '" + m.group(1) + "'; known: " + scenarios.keySet());
    }
    return s;
  }

  /** The scenario called {@code name}, if there is one. */
  public java.util.Optional<Scenario> named(String name) {
    return java.util.Optional.ofNullable(scenarios.get(name));
  }

  public Scenario defaultScenario() {
    return defaultScenario;
  }

  public Set<String> names() {
    return scenarios.keySet();
  }
}

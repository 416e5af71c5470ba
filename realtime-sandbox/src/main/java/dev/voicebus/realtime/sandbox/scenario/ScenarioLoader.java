package dev.voicebus.realtime.sandbox.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.realtime.sandbox.fault.FaultConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads scenario JSON files: the ones bundled under {@code scenarios/} on the classpath and,
 * optionally, every {@code *.json} in a directory (which may override bundled names). Format:
 * {@code {"name":..., "turns":[{"caller":..., "say":...} | {"caller":..., "tool":{"name":...,
 * "arguments":{...}}, "after_tool":..., "fallback":...} | {"keypad":{"branches":[{"keys":"1234",
 * "say":...}], "otherwise":..., "reprompt":..., "press":"1234#"}}], "faults":{...}}}.
 */
public final class ScenarioLoader {
  /** Scenarios bundled in the jar. */
  public static final List<String> BUNDLED =
      List.of("default", "tools", "short", "pin", "transfer");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ScenarioLoader() {}

  /** Loads the bundled scenarios, then those in {@code dir} (null for none). */
  public static Map<String, Scenario> load(Path dir, FaultConfig base) {
    Map<String, Scenario> out = new HashMap<>();
    for (String name : BUNDLED) {
      String resource = "/scenarios/" + name + ".json";
      try (InputStream in = ScenarioLoader.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("Bundled scenario missing: " + resource);
        }
        Scenario s = parse(MAPPER.readTree(in), base);
        out.put(s.name(), s);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + resource, e);
      }
    }
    if (dir != null) {
      loadDirectory(dir, base, out);
    }
    return out;
  }

  private static void loadDirectory(Path dir, FaultConfig base, Map<String, Scenario> out) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        Scenario s = parse(MAPPER.readTree(file.toFile()), base);
        out.put(s.name(), s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read scenario directory " + dir, e);
    }
  }

  /** Parses one scenario document; faults not given in it come from {@code base}. */
  public static Scenario parse(JsonNode json, FaultConfig base) {
    String name = json.path("name").asText(null);
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("Scenario needs a non-empty 'name': " + json);
    }
    List<ScenarioTurn> turns = new ArrayList<>();
    for (JsonNode t : json.path("turns")) {
      JsonNode tool = t.get("tool");
      ToolCallStep step =
          tool == null || tool.isNull()
              ? null
              : new ToolCallStep(tool.path("name").asText(), argumentsJson(tool.path("arguments")));
      turns.add(
          new ScenarioTurn(
              t.path("caller").asText(""),
              t.path("say").asText(""),
              step,
              t.path("after_tool").asText(null),
              t.path("fallback").asText(null),
              keypad(t.get("keypad"))));
    }
    FaultConfig faults = json.has("faults") ? FaultConfig.fromJson(json.get("faults"), base) : null;
    return new Scenario(name, turns, faults);
  }

  private static KeypadStep keypad(JsonNode keypad) {
    if (keypad == null || keypad.isNull()) {
      return null;
    }
    List<KeypadStep.Branch> branches = new ArrayList<>();
    for (JsonNode b : keypad.path("branches")) {
      branches.add(new KeypadStep.Branch(b.path("keys").asText(), b.path("say").asText()));
    }
    return new KeypadStep(
        branches,
        keypad.path("otherwise").asText(null),
        keypad.path("reprompt").asText(null),
        keypad.path("press").asText(null));
  }

  private static String argumentsJson(JsonNode args) {
    if (args.isMissingNode() || args.isNull()) {
      return "{}";
    }
    return args.isTextual() ? args.asText() : args.toString();
  }
}

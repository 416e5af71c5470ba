package dev.voicebus.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.redaction.Redactor;
import dev.voicebus.redaction.policy.RedactionPolicy;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.worker.config.AgentProfile.ToolSpec;
import dev.voicebus.worker.config.AgentProfile.TurnDetectionSpec;
import dev.voicebus.worker.tools.CatalogueTool;
import dev.voicebus.worker.tools.ToolOffers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent profiles a worker knows, by id, read from a JSON file ({@code {"profiles": {"<id>":
 * {...}}}}) or the bundled {@code profiles/default-profiles.json}. Every profile is validated when
 * loaded: a bad field fails start-up with the profile, the field and what is allowed.
 */
public final class ProfileCatalog {

  /** The bundled profiles, used when no file is configured. */
  public static final String BUNDLED = "profiles/default-profiles.json";

  private static final Set<String> TURN_TYPES = Set.of("server_vad", "semantic_vad", "none");
  private static final Set<String> TOOL_CHOICES = Set.of("auto", "none", "required");
  private static final Set<String> NOISE = Set.of("near_field", "far_field");

  private static final Logger log = LoggerFactory.getLogger(ProfileCatalog.class);

  private final Map<String, AgentProfile> profiles;
  private final Supplier<Map<String, CatalogueTool>> catalogue;

  private ProfileCatalog(
      Map<String, AgentProfile> profiles, Supplier<Map<String, CatalogueTool>> catalogue) {
    this.profiles = Map.copyOf(profiles);
    this.catalogue = catalogue;
  }

  /** These profiles, resolving the tools they name from {@code tools} (the catalogue now). */
  public ProfileCatalog withCatalogue(Supplier<Map<String, CatalogueTool>> tools) {
    return new ProfileCatalog(profiles, tools);
  }

  /** Whether any profile names tools from the catalogue (so the worker must read it). */
  public boolean namesCatalogueTools() {
    return profiles.values().stream().anyMatch(p -> !p.toolRefs().isEmpty());
  }

  public Collection<AgentProfile> all() {
    return profiles.values();
  }

  /**
   * The profile as call {@code callId} of {@code tenantId} runs it: the tools it names resolved
   * from the catalogue as it is now (fixed for the call from here on). A named tool that is not
   * there now, or that another tenant owns, is left out and logged.
   */
  public AgentProfile forCall(AgentProfile profile, String callId, String tenantId) {
    if (profile.toolRefs().isEmpty()) {
      return profile;
    }
    var offer = ToolOffers.forCall(profile, tenantId, catalogue.get());
    if (!offer.unmatched().isEmpty()) {
      log.warn(
          "[{}] Profile {} names {}, not in the tool catalogue for tenant {} now; not offered",
          callId,
          profile.id(),
          offer.unmatched(),
          tenantId);
    }
    return profile.withTools(offer.tools());
  }

  /** Profiles from {@code file}, or the bundled ones when empty. */
  public static ProfileCatalog load(Optional<Path> file) {
    if (file.isPresent()) {
      try (InputStream in = Files.newInputStream(file.get())) {
        return parse(in, file.get().toString());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot read agent profiles file " + file.get() + ": " + e.getMessage(), e);
      }
    }
    try (InputStream in = ProfileCatalog.class.getClassLoader().getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException(
            "Bundled agent profiles " + BUNDLED + " are missing from the classpath");
      }
      return parse(in, BUNDLED);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ProfileCatalog parse(InputStream in, String source) throws IOException {
    JsonNode root = new ObjectMapper().readTree(in);
    JsonNode list = root == null ? null : root.get("profiles");
    if (list == null || !list.isObject() || list.isEmpty()) {
      throw new IllegalArgumentException(
          source + ": expected {\"profiles\": {\"<id>\": {...}}} with at least one profile");
    }
    Map<String, AgentProfile> profiles = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : list.properties()) {
      profiles.put(entry.getKey(), profile(entry.getKey(), entry.getValue(), source));
    }
    return new ProfileCatalog(profiles, Map::of);
  }

  public Optional<AgentProfile> find(String id) {
    return Optional.ofNullable(profiles.get(id));
  }

  public Set<String> ids() {
    return profiles.keySet();
  }

  private static AgentProfile profile(String id, JsonNode node, String source) {
    String where = source + ": profiles." + id;
    String turnType = text(node, "turnDetection", "type").orElse("server_vad");
    require(
        TURN_TYPES.contains(turnType),
        where + ".turnDetection.type='" + turnType + "' is invalid: use " + TURN_TYPES);
    String toolChoice = text(node, "toolChoice").orElse("auto");
    require(
        TOOL_CHOICES.contains(toolChoice),
        where + ".toolChoice='" + toolChoice + "' is invalid: use " + TOOL_CHOICES);
    Optional<String> noise = text(node, "noiseReduction");
    require(
        noise.map(NOISE::contains).orElse(true),
        where
            + ".noiseReduction='"
            + noise.orElse("")
            + "' is invalid: use "
            + NOISE
            + " or omit it");
    Integer maxOutput =
        node.hasNonNull("maxOutputTokens") ? node.get("maxOutputTokens").asInt() : null;
    require(
        maxOutput == null || (maxOutput >= 1 && maxOutput <= 4096),
        where
            + ".maxOutputTokens="
            + maxOutput
            + " is invalid: use 1 to 4096 or omit it for no limit");
    JsonNode turn = node.path("turnDetection");
    var turnDetection =
        new TurnDetectionSpec(
            turnType,
            turn.hasNonNull("threshold") ? turn.get("threshold").asDouble() : null,
            intOrNull(turn, "prefixPaddingMs"),
            intOrNull(turn, "silenceDurationMs"),
            text(turn, "eagerness").orElse(null),
            turn.hasNonNull("createResponse") ? turn.get("createResponse").asBoolean() : null,
            turn.hasNonNull("interruptResponse") ? turn.get("interruptResponse").asBoolean() : null,
            intOrNull(turn, "idleTimeoutMs"));
    List<String> modalities = new ArrayList<>();
    node.path("outputModalities").forEach(m -> modalities.add(m.asText()));
    return new AgentProfile(
        id,
        text(node, "model").orElse("gpt-realtime"),
        text(node, "instructions").orElse(""),
        text(node, "voice").orElse("marin"),
        tools(node.path("tools"), where),
        toolChoice,
        turnDetection,
        text(node, "transcriptionModel").orElse(null),
        noise.orElse(null),
        modalities.isEmpty() ? null : modalities,
        maxOutput,
        text(node, "reasoningEffort").orElse(null),
        duration(node, "toolTimeout", where).orElse(Duration.ofSeconds(10)),
        dtmf(node.path("dtmf"), where),
        redactor(node.get("redaction"), where),
        toolRefs(node.path("tools"), where));
  }

  /**
   * The profile's redaction; a profile without a {@code redaction} block gets the defaults (on).
   */
  private static Redactor redactor(JsonNode block, String where) {
    try {
      return Redactor.of(RedactionPolicy.fromJson(block));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "." + e.getMessage(), e);
    }
  }

  private static DtmfPolicy dtmf(JsonNode node, String where) {
    if (node.isMissingNode() || node.isNull()) {
      return DtmfPolicy.DEFAULT;
    }
    var defaults = DtmfPolicy.DEFAULT;
    try {
      return new DtmfPolicy(
          node.path("enabled").asBoolean(defaults.enabled()),
          text(node, "terminator").orElse(defaults.terminators()),
          duration(node, "interDigitTimeout", where + ".dtmf").orElse(defaults.interDigitTimeout()),
          node.path("maxDigits").asInt(defaults.maxDigits()),
          node.path("respond").asBoolean(defaults.respond()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "." + e.getMessage(), e);
    }
  }

  /**
   * The tools named from the catalogue: a string ({@code "lookup_order"}, {@code "mcp:crm/*"}) or
   * {@code {"tool": "...", "sensitiveArguments": [...]}}.
   */
  private static List<ToolReference> toolRefs(JsonNode array, String where) {
    List<ToolReference> refs = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode entry = array.get(i);
      if (!entry.isTextual() && !entry.has("tool")) {
        continue;
      }
      String selector = entry.isTextual() ? entry.asText() : entry.path("tool").asText();
      try {
        refs.add(
            new ToolReference(selector, sensitive(entry.path("sensitiveArguments"), where, i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ".tools[" + i + "]: " + e.getMessage(), e);
      }
    }
    return refs;
  }

  private static List<String> sensitive(JsonNode pointers, String where, int i) {
    List<String> sensitive = new ArrayList<>();
    for (JsonNode pointer : pointers) {
      require(
          pointer.asText().startsWith("/"),
          where
              + ".tools["
              + i
              + "].sensitiveArguments: '"
              + pointer.asText()
              + "' is not a JSON pointer such as /card_number");
      sensitive.add(pointer.asText());
    }
    return sensitive;
  }

  /** The tools defined inline: {@code {"name", "description", "parameters"}}. */
  private static List<ToolSpec> tools(JsonNode array, String where) {
    List<ToolSpec> tools = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode tool = array.get(i);
      if (tool.isTextual() || tool.has("tool")) {
        continue; // named from the catalogue
      }
      String name = text(tool, "name").orElse("");
      require(
          name.matches("[a-zA-Z0-9_-]{1,64}"),
          where + ".tools[" + i + "].name='" + name + "' is invalid: use 1-64 of a-z A-Z 0-9 _ -");
      JsonNode parameters = tool.get("parameters");
      require(
          parameters != null && parameters.isObject(),
          where + ".tools[" + i + "].parameters must be a JSON schema object");
      List<String> sensitive = sensitive(tool.path("sensitiveArguments"), where, i);
      tools.add(new ToolSpec(name, text(tool, "description").orElse(""), parameters, sensitive));
    }
    return tools;
  }

  private static Optional<Duration> duration(JsonNode node, String field, String where) {
    return text(node, field)
        .map(
            raw -> {
              try {
                return ConfigSource.parseDuration(field, raw);
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "." + e.getMessage(), e);
              }
            });
  }

  private static Optional<String> text(JsonNode node, String... path) {
    JsonNode current = node;
    for (String step : path) {
      current = current == null ? null : current.get(step);
    }
    return current == null || current.isNull() ? Optional.empty() : Optional.of(current.asText());
  }

  private static Integer intOrNull(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asInt() : null;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}

package dev.voicebus.worker.config;

import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * A tool an agent profile names instead of defining it, taken with its real description and schema
 * from the tool catalogue: a catalogue name ({@code "lookup_order"}), or {@code
 * mcp:<server>/<tool>} for the tools of an MCP server as the executor's settings name the server
 * ({@code tools.mcp.<server>}) and the server names the tool, where {@code *} in the tool part
 * matches any run of characters ({@code mcp:crm/*}, {@code mcp:crm/get_*}). {@code
 * sensitiveArguments} apply to every tool the reference selects.
 *
 * @param selector the name or pattern as written in the profile
 * @param sensitiveArguments JSON pointers of arguments sealed instead of redacted
 */
public record ToolReference(String selector, List<String> sensitiveArguments) {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final Pattern MCP =
      Pattern.compile("mcp:([a-zA-Z0-9_-]{1,64})/([a-zA-Z0-9_*.-]{1,128})");

  public ToolReference {
    sensitiveArguments = sensitiveArguments == null ? List.of() : List.copyOf(sensitiveArguments);
    if (!NAME.matcher(selector).matches() && !MCP.matcher(selector).matches()) {
      throw new IllegalArgumentException(
          "'"
              + selector
              + "' is not a tool name (1-64 of a-z A-Z 0-9 _ -) or an MCP pattern such as"
              + " mcp:crm/* or mcp:crm/lookup_customer");
    }
  }

  /** Whether this is a pattern that may select several tools (or none). */
  public boolean pattern() {
    return selector.contains("*");
  }

  /** The MCP server this reference is about, for {@code mcp:} references. */
  public Optional<String> mcpServer() {
    var m = MCP.matcher(selector);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * Whether the catalogue tool {@code name} (from {@code mcpServer}, named {@code mcpToolName}
   * there, both null for other tools) is one this reference selects.
   */
  public boolean selects(String name, String mcpServer, String mcpToolName) {
    var m = MCP.matcher(selector);
    if (!m.matches()) {
      return selector.equals(name);
    }
    return m.group(1).equals(mcpServer)
        && mcpToolName != null
        && glob(m.group(2)).matcher(mcpToolName).matches();
  }

  private static Pattern glob(String toolPart) {
    StringJoiner regex = new StringJoiner(".*");
    for (String piece : toolPart.split("[*]", -1)) {
      regex.add(Pattern.quote(piece));
    }
    return Pattern.compile(regex.toString());
  }
}

package dev.voicebus.worker.tools;

import dev.voicebus.worker.config.AgentProfile;
import dev.voicebus.worker.config.AgentProfile.ToolSpec;
import dev.voicebus.worker.config.ToolReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which tools a call is offered: the profile's inline definitions first, then the tools it names,
 * in the order named, each with the description and schema the catalogue holds (a pattern's matches
 * sorted by name). A tool another tenant owns is never offered; a name offered twice counts once
 * (the first wins). Pure.
 */
public final class ToolOffers {

  private ToolOffers() {}

  /**
   * What a call gets.
   *
   * @param tools the tools to put in {@code session.update}
   * @param unmatched the profile's references that selected nothing this call may have
   */
  public record Offer(List<ToolSpec> tools, List<String> unmatched) {
    public Offer {
      tools = List.copyOf(tools);
      unmatched = List.copyOf(unmatched);
    }
  }

  public static Offer forCall(
      AgentProfile profile, String tenantId, Map<String, CatalogueTool> catalogue) {
    Map<String, ToolSpec> offered = new LinkedHashMap<>();
    profile.tools().forEach(t -> offered.putIfAbsent(t.name(), t));
    List<String> unmatched = new ArrayList<>();
    for (ToolReference ref : profile.toolRefs()) {
      List<CatalogueTool> selected =
          selected(ref, catalogue.values()).stream().filter(t -> t.availableTo(tenantId)).toList();
      if (selected.isEmpty()) {
        unmatched.add(ref.selector());
      }
      for (CatalogueTool tool : selected) {
        offered.putIfAbsent(
            tool.name(),
            new ToolSpec(
                tool.name(), tool.description(), tool.parameters(), ref.sensitiveArguments()));
      }
    }
    return new Offer(new ArrayList<>(offered.values()), unmatched);
  }

  /**
   * The profile's references that select no tool at all in {@code catalogue}, whoever owns it: what
   * fails a worker's start-up.
   */
  public static List<String> missing(AgentProfile profile, Map<String, CatalogueTool> catalogue) {
    return profile.toolRefs().stream()
        .filter(ref -> selected(ref, catalogue.values()).isEmpty())
        .map(ToolReference::selector)
        .toList();
  }

  private static List<CatalogueTool> selected(
      ToolReference ref, Collection<CatalogueTool> catalogue) {
    return catalogue.stream()
        .filter(t -> ref.selects(t.name(), t.mcpServer(), t.mcpToolName()))
        .sorted(Comparator.comparing(CatalogueTool::name))
        .toList();
  }
}

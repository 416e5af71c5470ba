package dev.voicebus.worker.tools;

import dev.voicebus.worker.config.AgentProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up check of the profiles against the catalogue: waits up to {@code timeout} (the tool
 * executor may start after the worker) until the catalogue has been read and every tool a profile
 * names is in it; then fails naming each profile and each tool that is still missing.
 */
public final class CatalogueCheck {

  private static final Logger log = LoggerFactory.getLogger(CatalogueCheck.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private CatalogueCheck() {}

  /**
   * @throws IllegalStateException naming the profiles and tools not in the catalogue in time
   */
  public static void require(
      Collection<AgentProfile> profiles, ToolCatalogueView view, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    boolean read = view.awaitCaughtUp(timeout);
    List<String> missing = missing(profiles, view.snapshot());
    boolean logged = false;
    while (!missing.isEmpty() && Instant.now().isBefore(deadline)) {
      if (!logged) {
        log.info("Waiting up to {} for the tool catalogue to hold {}", timeout, missing);
        logged = true;
      }
      Thread.sleep(POLL.toMillis());
      missing = missing(profiles, view.snapshot());
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          String.join("; ", missing)
              + (read ? "" : " (the catalogue topic could not even be read)")
              + ", after waiting "
              + timeout
              + " (worker.tool-catalogue-timeout): start the tool executor with these tools,"
              + " or correct the profile");
    }
  }

  /** "Agent profile p names tool x, which is not in the tool catalogue" for each missing tool. */
  static List<String> missing(Collection<AgentProfile> profiles, Map<String, CatalogueTool> tools) {
    List<String> missing = new ArrayList<>();
    for (AgentProfile profile : profiles) {
      for (String selector : ToolOffers.missing(profile, tools)) {
        missing.add(
            "Agent profile "
                + profile.id()
                + " names tool "
                + selector
                + (selector.contains("*") ? ", which matches no tool" : ", which is not")
                + " in the tool catalogue");
      }
    }
    return missing;
  }
}

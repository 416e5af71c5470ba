package dev.voicebus.schemas.topic;

import java.util.List;

/**
 * What a {@link TopicBootstrap} found and did: topics it created, topics that already existed,
 * problems it reports instead of altering (co-partitioned topics whose partition counts differ,
 * which would split a call across worker tasks), and notices (an existing topic's partition count
 * differs from the settings, which is legal but worth knowing).
 */
public record BootstrapReport(
    List<String> created, List<String> existing, List<String> problems, List<String> notices) {

  public BootstrapReport {
    created = List.copyOf(created);
    existing = List.copyOf(existing);
    problems = List.copyOf(problems);
    notices = List.copyOf(notices);
  }

  public boolean healthy() {
    return problems.isEmpty();
  }

  /**
   * Fails when existing topics break co-partitioning or differ from the settings, with every
   * problem listed; services that own calls by partition call this before they start.
   */
  public BootstrapReport requireHealthy() {
    if (!healthy()) {
      throw new IllegalStateException(
          "Kafka topics do not match the Voicebus topic contract: "
              + String.join("; ", problems)
              + ". Fix the topics (or topics.partitions.* settings); Voicebus does not alter existing topics.");
    }
    return this;
  }

  @Override
  public String toString() {
    return "created="
        + created
        + ", existing="
        + existing
        + ", problems="
        + problems
        + ", notices="
        + notices;
  }
}

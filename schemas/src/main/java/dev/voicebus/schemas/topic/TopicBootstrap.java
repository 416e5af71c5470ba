package dev.voicebus.schemas.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the missing topics of a {@link TopicCatalogue} and reports existing ones that do not fit.
 * Idempotent: running it again, or from several services at once, creates nothing twice. It never
 * alters an existing topic.
 */
public final class TopicBootstrap {

  private static final Logger log = LoggerFactory.getLogger(TopicBootstrap.class);

  private final Admin admin;
  private final TopicCatalogue catalogue;
  private final Duration timeout;

  public TopicBootstrap(Admin admin, TopicCatalogue catalogue, Duration timeout) {
    this.admin = admin;
    this.catalogue = catalogue;
    this.timeout = timeout;
  }

  /** Creates what is missing and returns what was found; problems are logged and reported. */
  public BootstrapReport ensureTopics() {
    List<String> names = catalogue.all().stream().map(catalogue::name).toList();
    Map<String, Integer> existingCounts = describeExisting(names);
    List<String> created = new ArrayList<>();
    List<String> raced = new ArrayList<>();
    List<NewTopic> missing =
        catalogue.all().stream()
            .filter(spec -> !existingCounts.containsKey(catalogue.name(spec)))
            .map(catalogue::newTopic)
            .toList();
    for (NewTopic topic : missing) {
      (create(topic) ? created : raced).add(topic.name());
    }
    // A topic that exists but was not listed (created by another service meanwhile, or not yet in
    // the broker's metadata) is described now so its partition count is checked too.
    existingCounts.putAll(describeWithRetry(raced));
    Map<String, Integer> counts = new TreeMap<>(existingCounts);
    missing.forEach(t -> counts.putIfAbsent(t.name(), t.numPartitions()));
    var report =
        new BootstrapReport(
            created, List.copyOf(existingCounts.keySet()), problems(counts), notices(counts));
    if (!created.isEmpty()) {
      log.info("Created Kafka topics {}", created);
    }
    report.notices().forEach(n -> log.info("Topic notice: {}", n));
    report.problems().forEach(p -> log.warn("Topic contract problem: {}", p));
    return report;
  }

  private Map<String, Integer> describeWithRetry(List<String> names) {
    if (names.isEmpty()) {
      return Map.of();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        Map<String, Integer> counts = new TreeMap<>();
        admin
            .describeTopics(names)
            .allTopicNames()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .forEach((name, d) -> counts.put(name, d.partitions().size()));
        return counts;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw new KafkaException(
              "Cannot describe topics " + names + ": " + e.getCause().getMessage(), e);
        }
      } catch (TimeoutException e) {
        throw new KafkaException("Timed out describing topics " + names, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaException("Interrupted while describing topics " + names, e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaException("Interrupted while describing topics " + names, e);
      }
    }
  }

  private Map<String, Integer> describeExisting(List<String> names) {
    Set<String> listed;
    try {
      listed = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaException("Cannot list Kafka topics: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while listing Kafka topics", e);
    }
    return new TreeMap<>(describeWithRetry(names.stream().filter(listed::contains).toList()));
  }

  private boolean create(NewTopic topic) {
    try {
      admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false; // another service created it meanwhile
      }
      throw new KafkaException(
          "Cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e);
    } catch (TimeoutException e) {
      throw new KafkaException("Timed out creating topic " + topic.name(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while creating topic " + topic.name(), e);
    }
  }

  private List<String> notices(Map<String, Integer> counts) {
    List<String> notices = new ArrayList<>();
    for (TopicSpec<?, ?> spec : catalogue.all()) {
      String name = catalogue.name(spec);
      Integer actual = counts.get(name);
      int wanted = catalogue.partitions(spec);
      if (actual != null && actual != wanted) {
        notices.add(name + " has " + actual + " partitions, the settings say " + wanted);
      }
    }
    return notices;
  }

  private List<String> problems(Map<String, Integer> counts) {
    List<String> problems = new ArrayList<>();
    var coPartitioned = catalogue.coPartitioned().stream().map(catalogue::name).toList();
    if (coPartitioned.stream().map(counts::get).distinct().count() > 1) {
      Map<String, Integer> shown = new TreeMap<>();
      coPartitioned.forEach(n -> shown.put(n, counts.get(n)));
      problems.add("co-partitioned topics must have equal partition counts, but " + shown);
    }
    return problems;
  }
}

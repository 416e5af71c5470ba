package dev.voicebus.worker.topology;

import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.TopicSpec;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.worker.config.ProfileCatalog;
import dev.voicebus.worker.metrics.WorkerMetrics;
import dev.voicebus.worker.output.CallOutput;
import dev.voicebus.worker.state.CallState;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The worker's Streams topology: the three co-partitioned call inputs (call.control, audio.in,
 * tool.results) feed one {@link CallProcessor}, which owns two changelogged in-memory stores: the
 * durable call state and the last audio seq per call. Outputs are published by the sessions, not
 * through the topology, because they originate on the Realtime sockets' event loops.
 */
public final class WorkerTopology {

  private WorkerTopology() {}

  public static Topology build(
      TopicCatalogue catalogue,
      LiveCalls liveCalls,
      ProfileCatalog profiles,
      CallOutput out,
      WorkerMetrics metrics) {
    var topology = new Topology();
    addSource(topology, "call-control", catalogue, Topics.CALL_CONTROL);
    addSource(topology, "audio-in", catalogue, Topics.AUDIO_IN);
    addSource(topology, "tool-results", catalogue, Topics.TOOL_RESULTS);
    topology.addProcessor(
        "calls",
        () -> new CallProcessor(liveCalls, profiles, out, metrics),
        "call-control",
        "audio-in",
        "tool-results");
    var changelog = Map.of("cleanup.policy", "compact");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(CallProcessor.CALLS_STORE),
                Serdes.String(),
                AvroSerde.of(CallState.class))
            .withLoggingEnabled(changelog),
        "calls");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(CallProcessor.SEQ_STORE),
                Serdes.String(),
                Serdes.Long())
            .withLoggingEnabled(changelog),
        "calls");
    return topology;
  }

  @SuppressWarnings("unchecked")
  private static <V> void addSource(
      Topology topology, String name, TopicCatalogue catalogue, TopicSpec<String, V> spec) {
    topology.addSource(
        name,
        spec.keySerde().deserializer(),
        (Deserializer<Object>) (Deserializer<?>) spec.valueSerde().deserializer(),
        catalogue.name(spec));
  }
}

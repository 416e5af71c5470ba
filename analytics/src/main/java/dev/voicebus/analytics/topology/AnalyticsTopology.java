package dev.voicebus.analytics.topology;

import dev.voicebus.analytics.assembly.CallAssembly;
import dev.voicebus.analytics.assembly.CallInput;
import dev.voicebus.analytics.config.AnalyticsConfig;
import dev.voicebus.analytics.config.AnalyticsConfig.StoreType;
import dev.voicebus.analytics.json.CallJson;
import dev.voicebus.analytics.live.CallEvents;
import dev.voicebus.analytics.live.LiveTranscripts;
import dev.voicebus.analytics.usage.UsageDelta;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallRecord;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.RateLimitsUpdated;
import dev.voicebus.avro.TenantUsage;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.TopicSpec;
import dev.voicebus.schemas.topic.Topics;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The analytics topology.
 *
 * <p>Co-partitioning: a call's records live on two partition groups whose counts may differ ({@code
 * call.control} and {@code tool.results} have the call-input count, {@code transcripts}, {@code
 * tool.calls} and {@code session.events} the output count). The call-input records the assembler
 * needs (CallStarted, CallEnded, ToolResult; playback marks and keypad digits are dropped first)
 * are repartitioned by call id into internal topics with the output group's partition count, so one
 * task sees every record of a call. The high-volume output topics are read as they are.
 *
 * <p>Then the assembler builds each call's document in changelogged stores and publishes it to
 * {@code calls} (Avro) and {@code calls.json}; its usage deltas are re-keyed by tenant through a
 * second repartition topic to the usage aggregator, which keeps hourly and daily windows and
 * publishes them to {@code usage}.
 */
public final class AnalyticsTopology {

  private AnalyticsTopology() {}

  /** Shared by the topology and the API: the things a running topology talks to. */
  public record Parts(CallEvents events, LiveTranscripts live) {}

  public static Topology build(
      TopicCatalogue catalogue, int outputPartitions, AnalyticsConfig config, Parts parts) {
    var builder = new StreamsBuilder();
    Serde<String> keys = Serdes.String();
    var controlSerde = AvroSerde.of(CallControl.class);
    var callSerde = AvroSerde.of(CallRecord.class);
    var deltaSerde = AvroSerde.of(UsageDelta.class);
    var usageSerde = AvroSerde.of(TenantUsage.class);

    KStream<String, CallInput> control =
        builder.stream(
                catalogue.name(Topics.CALL_CONTROL),
                Consumed.with(keys, controlSerde).withName("call-control"))
            .filter(
                (k, v) ->
                    v == null
                        || v.getEvent() instanceof CallStarted
                        || v.getEvent() instanceof CallEnded,
                Named.as("starts-and-ends"))
            .repartition(
                Repartitioned.with(keys, controlSerde)
                    .withName("call-control")
                    .withNumberOfPartitions(outputPartitions))
            .mapValues(v -> v == null ? null : new CallInput.Control(v));
    KStream<String, CallInput> results =
        builder.stream(
                catalogue.name(Topics.TOOL_RESULTS),
                Consumed.with(keys, Topics.TOOL_RESULTS.valueSerde()).withName("tool-results"))
            .repartition(
                Repartitioned.with(keys, Topics.TOOL_RESULTS.valueSerde())
                    .withName("tool-results")
                    .withNumberOfPartitions(outputPartitions))
            .mapValues(v -> v == null ? null : new CallInput.ToolAnswered(v));
    KStream<String, CallInput> transcripts =
        stream(builder, catalogue, Topics.TRANSCRIPTS, "transcripts")
            .mapValues(v -> v == null ? null : new CallInput.Transcript(v, null));
    KStream<String, CallInput> toolCalls =
        stream(builder, catalogue, Topics.TOOL_CALLS, "tool-calls")
            .mapValues(v -> v == null ? null : new CallInput.ToolRequested(v));
    KStream<String, CallInput> sessionEvents =
        stream(builder, catalogue, Topics.SESSION_EVENTS, "session-events")
            .filter(
                (k, v) -> v == null || !(v.getEvent() instanceof RateLimitsUpdated),
                Named.as("without-rate-limits"))
            .mapValues(v -> v == null ? null : new CallInput.Session(v));

    StoreType storeType = config.streams().store();
    builder.addStateStore(store(AnalyticsStores.CALLS, storeType, keys, callSerde));
    builder.addStateStore(store(AnalyticsStores.CALL_INDEX, storeType, keys, Serdes.String()));
    builder.addStateStore(store(AnalyticsStores.LIVE, storeType, keys, Serdes.String()));
    builder.addStateStore(store(AnalyticsStores.USAGE, storeType, keys, usageSerde));

    var assembly = new CallAssembly(config.limits());
    KStream<String, AssemblyOutput> assembled =
        control
            .merge(results)
            .merge(transcripts)
            .merge(toolCalls)
            .merge(sessionEvents)
            .process(
                () ->
                    new CallAssemblerProcessor(
                        assembly, config.timing(), parts.events(), parts.live()),
                Named.as("assemble-calls"),
                AnalyticsStores.CALLS,
                AnalyticsStores.CALL_INDEX,
                AnalyticsStores.LIVE);

    KStream<String, CallRecord> documents =
        assembled
            .filter((k, v) -> v instanceof AssemblyOutput.Document, Named.as("documents"))
            .mapValues(v -> ((AssemblyOutput.Document) v).document());
    documents.to(catalogue.name(Topics.CALLS), Produced.with(keys, callSerde).withName("calls"));
    var json = new CallJson(config.callsJsonFormat());
    documents
        .mapValues(json::write, Named.as("as-json"))
        .to(
            catalogue.name(Topics.CALLS_JSON),
            Produced.with(keys, Serdes.String()).withName("calls-json"));

    assembled
        .filter((k, v) -> v instanceof AssemblyOutput.Contribution, Named.as("usage-deltas"))
        .map(
            (k, v) -> {
              UsageDelta delta = ((AssemblyOutput.Contribution) v).delta();
              return KeyValue.pair(delta.getTenantId(), delta);
            },
            Named.as("by-tenant"))
        .repartition(
            Repartitioned.with(keys, deltaSerde)
                .withName("usage-deltas")
                .withNumberOfPartitions(outputPartitions))
        .process(
            () ->
                new UsageProcessor(
                    config.timing().publishInterval(), config.timing().usageRetention()),
            Named.as("aggregate-usage"),
            AnalyticsStores.USAGE)
        .to(catalogue.name(Topics.USAGE), Produced.with(keys, usageSerde).withName("usage"));
    return builder.build();
  }

  private static <V> KStream<String, V> stream(
      StreamsBuilder builder, TopicCatalogue catalogue, TopicSpec<String, V> spec, String name) {
    return builder.stream(
        catalogue.name(spec), Consumed.with(spec.keySerde(), spec.valueSerde()).withName(name));
  }

  private static <V> StoreBuilder<?> store(
      String name, StoreType type, Serde<String> keys, Serde<V> values) {
    KeyValueBytesStoreSupplier supplier =
        type == StoreType.ROCKSDB
            ? Stores.persistentKeyValueStore(name)
            : Stores.inMemoryKeyValueStore(name);
    return Stores.keyValueStoreBuilder(supplier, keys, values)
        .withCachingEnabled()
        .withLoggingEnabled(Map.of("cleanup.policy", "compact"));
  }
}

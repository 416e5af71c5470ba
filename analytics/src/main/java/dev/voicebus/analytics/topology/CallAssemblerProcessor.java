package dev.voicebus.analytics.topology;

import dev.voicebus.analytics.assembly.Assembled;
import dev.voicebus.analytics.assembly.CallAssembly;
import dev.voicebus.analytics.assembly.CallInput;
import dev.voicebus.analytics.config.AnalyticsConfig.Timing;
import dev.voicebus.analytics.live.CallEvents;
import dev.voicebus.analytics.live.LiveTranscripts;
import dev.voicebus.analytics.usage.UsageDelta;
import dev.voicebus.avro.CallRecord;
import dev.voicebus.avro.CallStatus;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.TranscriptKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Assembles each call's document as its records arrive (see {@link CallAssembly}) and keeps it in
 * the {@link AnalyticsStores#CALLS} store with the tenant index and the set of live calls. A
 * document is published at most once per {@code analytics.publish-interval} while it changes (the
 * last change then waits for the next tick), and at once when the call becomes final. Ticks also
 * end calls whose end signals stay incomplete, and drop documents past {@code analytics.retention}
 * from the stores (never from the compacted topic).
 */
public final class CallAssemblerProcessor
    implements Processor<String, CallInput, String, AssemblyOutput> {

  /** Header on the final revision of a document: sinks can keep only final documents. */
  public static final String FINAL_HEADER = "voicebus.final";

  private final CallAssembly assembly;
  private final Timing timing;
  private final CallEvents events;
  private final LiveTranscripts live;
  private final Map<String, Long> lastPublished = new HashMap<>();
  private final Map<String, Long> lastRecord = new HashMap<>();
  private final Map<String, Long> endingSince = new HashMap<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  private ProcessorContext<String, AssemblyOutput> context;
  private KeyValueStore<String, CallRecord> calls;
  private KeyValueStore<String, String> index;
  private KeyValueStore<String, String> liveCalls;

  CallAssemblerProcessor(
      CallAssembly assembly, Timing timing, CallEvents events, LiveTranscripts live) {
    this.assembly = assembly;
    this.timing = timing;
    this.events = events;
    this.live = live;
  }

  @Override
  public void init(ProcessorContext<String, AssemblyOutput> context) {
    this.context = context;
    this.calls = context.getStateStore(AnalyticsStores.CALLS);
    this.index = context.getStateStore(AnalyticsStores.CALL_INDEX);
    this.liveCalls = context.getStateStore(AnalyticsStores.LIVE);
    context.schedule(timing.publishInterval(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    context.schedule(
        java.time.Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, this::dropExpired);
    // Live documents changed by the previous owner may not have been published: publish them.
    try (var it = liveCalls.all()) {
      it.forEachRemaining(entry -> dirty.add(entry.key));
    }
  }

  @Override
  public void process(Record<String, CallInput> record) {
    String callId = record.key();
    CallInput input = record.value();
    if (callId == null || input == null) {
      throw new IllegalArgumentException(
          "record without " + (callId == null ? "a call id (key)" : "a value"));
    }
    if (input instanceof CallInput.Transcript transcript) {
      input = trackLiveText(callId, transcript.record());
    }
    lastRecord.put(callId, context.currentSystemTimeMs());
    CallRecord before = calls.get(callId);
    Assembled result = assembly.apply(before, callId, input);
    if (result.changed()) {
      apply(before, result);
    }
  }

  private CallInput trackLiveText(String callId, TranscriptEvent event) {
    events.transcript(event);
    if (event.getKind() == TranscriptKind.DELTA) {
      return new CallInput.Transcript(
          event, live.append(callId, event.getItemId(), event.getText()));
    }
    String soFar = live.text(callId, event.getItemId()).orElse(null);
    live.done(callId, event.getItemId());
    return new CallInput.Transcript(event, soFar);
  }

  private void apply(CallRecord before, Assembled result) {
    CallRecord doc = result.document();
    String callId = doc.getCallId();
    save(before, doc);
    long now = context.currentSystemTimeMs();
    for (UsageDelta delta : result.usage()) {
      context.forward(new Record<>(callId, new AssemblyOutput.Contribution(delta), now));
    }
    if (doc.getStatus() == CallStatus.ENDING) {
      endingSince.putIfAbsent(callId, now);
    }
    if (result.becameFinal()) {
      live.forget(callId);
      lastRecord.remove(callId);
      endingSince.remove(callId);
      publish(doc, now);
    } else {
      Long last = lastPublished.get(callId);
      if (last == null || now - last >= timing.publishInterval().toMillis()) {
        publish(doc, now);
      } else {
        dirty.add(callId);
      }
    }
    events.documentChanged(doc);
  }

  private void save(CallRecord before, CallRecord doc) {
    String callId = doc.getCallId();
    calls.put(callId, doc);
    Optional<String> oldKey = CallIndex.key(before);
    String newKey = CallIndex.key(doc).orElseThrow();
    if (oldKey.isPresent() && !oldKey.get().equals(newKey)) {
      index.delete(oldKey.get());
    }
    if (oldKey.isEmpty() || !oldKey.get().equals(newKey)) {
      index.put(newKey, callId);
    }
    if (doc.getStatus() == CallStatus.ENDED) {
      liveCalls.delete(callId);
    } else {
      liveCalls.put(callId, CallIndex.tenantOf(doc));
    }
  }

  private void publish(CallRecord doc, long now) {
    boolean last = doc.getStatus() == CallStatus.ENDED;
    var headers = new RecordHeaders();
    if (last) {
      headers.add(FINAL_HEADER, "true".getBytes(StandardCharsets.UTF_8));
    }
    context.forward(
        new Record<>(doc.getCallId(), new AssemblyOutput.Document(doc, last), now, headers));
    if (last) {
      lastPublished.remove(doc.getCallId());
    } else {
      lastPublished.put(doc.getCallId(), now);
    }
    dirty.remove(doc.getCallId());
  }

  private void tick(long now) {
    for (String callId : new ArrayList<>(dirty)) {
      CallRecord doc = calls.get(callId);
      if (doc == null) {
        dirty.remove(callId);
      } else {
        publish(doc, now);
      }
    }
    List<String> open = new ArrayList<>();
    try (var it = liveCalls.all()) {
      it.forEachRemaining(entry -> open.add(entry.key));
    }
    Instant at = Instant.ofEpochMilli(now);
    for (String callId : open) {
      CallRecord doc = calls.get(callId);
      if (doc == null) {
        liveCalls.delete(callId);
        continue;
      }
      var activity =
          new CallAssembly.Activity(
              Instant.ofEpochMilli(lastRecord.computeIfAbsent(callId, id -> now)),
              Instant.ofEpochMilli(endingSince.computeIfAbsent(callId, id -> now)));
      Assembled result =
          assembly.expire(doc, at, activity, timing.finalGrace(), timing.abandonAfter());
      if (result.changed()) {
        apply(doc, result);
      }
    }
  }

  private void dropExpired(long now) {
    long cutoff = now - timing.retention().toMillis();
    List<CallRecord> expired = new ArrayList<>();
    try (var it = calls.all()) {
      it.forEachRemaining(
          entry -> {
            CallRecord doc = entry.value;
            Instant last = doc.getEndedAt() == null ? doc.getUpdatedAt() : doc.getEndedAt();
            if (doc.getStatus() == CallStatus.ENDED && last.toEpochMilli() < cutoff) {
              expired.add(doc);
            }
          });
    }
    for (CallRecord doc : expired) {
      calls.delete(doc.getCallId());
      CallIndex.key(doc).ifPresent(index::delete);
      lastPublished.remove(doc.getCallId());
    }
  }
}

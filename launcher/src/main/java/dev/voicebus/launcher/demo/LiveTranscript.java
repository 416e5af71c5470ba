package dev.voicebus.launcher.demo;

import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.CallSummary;
import dev.voicebus.avro.SessionError;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.TranscriptKind;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints one call's conversation as it happens, read from the topics analytics would read: each
 * finished caller and agent turn, tool calls and their results, and session errors. It finds the
 * call by the Twilio CallSid the demo dialled with, and keeps the closing CallSummary.
 */
public final class LiveTranscript implements AutoCloseable {

  private final KafkaSettings kafka;
  private final String externalCallId;
  private final PrintStream out;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CompletableFuture<CallSummary> summary = new CompletableFuture<>();
  private final Map<String, Long> toolRequestedAt = new HashMap<>();
  private final Thread thread;
  private final List<Held> early = new ArrayList<>();
  private volatile String callId;
  private volatile long toolRoundTripMs = -1;

  public LiveTranscript(KafkaSettings kafka, String externalCallId, PrintStream out) {
    this.kafka = kafka;
    this.externalCallId = externalCallId;
    this.out = out;
    this.thread = new Thread(this::run, "voicebus-live-transcript");
    thread.setDaemon(true);
    thread.start();
  }

  public CompletableFuture<CallSummary> summary() {
    return summary;
  }

  public long toolRoundTripMs() {
    return toolRoundTripMs;
  }

  private void run() {
    var catalogue = kafka.catalogue();
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "voicebus-demo-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> topics =
        List.of(
            catalogue.name(Topics.CALL_CONTROL),
            catalogue.name(Topics.TRANSCRIPTS),
            catalogue.name(Topics.TOOL_CALLS),
            catalogue.name(Topics.TOOL_RESULTS),
            catalogue.name(Topics.SESSION_EVENTS));
    try (var consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(topics);
      while (running.get()) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          String base = record.topic().substring(catalogue.settings().prefix().length());
          route(base, record.key(), record.value());
        }
      }
    } catch (KafkaException e) {
      out.println(
          "  (no live transcript: cannot read Kafka at "
              + kafka.bootstrapServers()
              + ": "
              + e.getMessage()
              + ")");
      summary.completeExceptionally(e);
    }
  }

  /**
   * Topics are read in no particular order relative to each other, so records that arrive before
   * the CallStarted naming this call are held until it is known.
   */
  private void route(String topic, String key, byte[] value) {
    if (callId == null && !topic.equals("call.control")) {
      if (early.size() < 10_000) {
        early.add(new Held(topic, key, value));
      }
      return;
    }
    handle(topic, key, value);
    if (callId != null && !early.isEmpty()) {
      List<Held> held = new ArrayList<>(early);
      early.clear();
      held.forEach(h -> handle(h.topic(), h.key(), h.value()));
    }
  }

  private record Held(String topic, String key, byte[] value) {}

  private void handle(String topic, String key, byte[] value) {
    switch (topic) {
      case "call.control" -> {
        var event =
            Topics.CALL_CONTROL.valueSerde().deserializer().deserialize(topic, value).getEvent();
        if (event instanceof CallStarted started
            && externalCallId.equals(started.getExternalCallId())) {
          callId = started.getCallId();
        }
      }
      case "transcripts" -> {
        if (key.equals(callId)) {
          onTranscript(Topics.TRANSCRIPTS.valueSerde().deserializer().deserialize(topic, value));
        }
      }
      case "tool.calls" -> {
        if (key.equals(callId)) {
          onToolCall(Topics.TOOL_CALLS.valueSerde().deserializer().deserialize(topic, value));
        }
      }
      case "tool.results" -> {
        if (key.equals(callId)) {
          onToolResult(Topics.TOOL_RESULTS.valueSerde().deserializer().deserialize(topic, value));
        }
      }
      case "session.events" -> {
        if (key.equals(callId)) {
          onSessionEvent(
              Topics.SESSION_EVENTS.valueSerde().deserializer().deserialize(topic, value));
        }
      }
      default -> {}
    }
  }

  private void onTranscript(TranscriptEvent event) {
    if (event.getKind() != TranscriptKind.FINAL) {
      return;
    }
    String who = event.getRole() == Speaker.CALLER ? "caller" : "agent ";
    String note = event.getInterrupted() ? "  [interrupted; the caller heard this much]" : "";
    out.println("  " + who + " | " + event.getText() + note);
  }

  private void onToolCall(ToolCall call) {
    toolRequestedAt.put(call.getToolCallId(), call.getRequestedAt().toEpochMilli());
    out.println("  tool   | -> " + call.getName() + " " + call.getArgumentsJson());
  }

  private void onToolResult(ToolResult result) {
    Long requested = toolRequestedAt.get(result.getToolCallId());
    if (requested != null) {
      toolRoundTripMs = result.getCompletedAt().toEpochMilli() - requested;
    }
    out.println(
        "  tool   | <- "
            + result.getStatus().name().toLowerCase(java.util.Locale.ROOT)
            + " "
            + result.getOutputJson());
  }

  private void onSessionEvent(SessionEvent event) {
    if (event.getEvent() instanceof SessionError error) {
      out.println("  error  | " + error.getCode() + ": " + error.getMessage());
    } else if (event.getEvent() instanceof CallSummary callSummary) {
      summary.complete(callSummary);
    }
  }

  /** Stops reading and waits up to 2 s for the reader thread; keeps the interrupt flag. */
  @Override
  public void close() {
    running.set(false);
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

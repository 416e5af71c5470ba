package dev.voicebus.launcher.demo;

import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.CallSummary;
import dev.voicebus.avro.SessionError;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.TranscriptKind;
import dev.voicebus.schemas.topic.Topics;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Prints the conversation of the calls it follows as records arrive from the topics analytics reads
 * ({@code call.control}, {@code transcripts}, {@code tool.calls}, {@code tool.results}, {@code
 * session.events}): each finished caller and agent turn, tool calls and their results, session
 * errors, and with {@code showEvents} every session event and the call's start and end. Which calls
 * it follows is decided from their {@code CallStarted} (e.g. by tenant), or from the call id alone.
 * Topics are read in no particular order relative to each other, so records of a call not decided
 * yet are held (bounded) until its CallStarted arrives. Not thread-safe: one consumer thread feeds
 * it.
 */
public final class CallFollower {

  private static final int MAX_HELD = 10_000;
  private static final int MAX_DECIDED = 100_000;

  /**
   * Which calls to follow.
   *
   * @param byStart decides from a call's CallStarted
   * @param byKey decides from the call id alone, without waiting for the CallStarted (and then
   *     overrides {@code byStart}); null when only the CallStarted can decide
   */
  public record Selection(
      Predicate<CallStarted> byStart, Predicate<String> byKey, Predicate<String> byTenant) {

    /** Every call. */
    public static final Selection ALL = new Selection(s -> true, k -> true, null);

    public Selection(Predicate<CallStarted> byStart, Predicate<String> byKey) {
      this(byStart, byKey, null);
    }
  }

  private final Selection selection;
  private final PrintStream out;
  private final boolean showEvents;
  private final boolean prefixCallId;
  private final Map<String, Boolean> decided =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MAX_DECIDED;
        }
      };
  private final List<Held> held = new ArrayList<>();
  private final Map<String, Long> toolRequestedAt = new HashMap<>();
  private final CompletableFuture<CallSummary> firstSummary = new CompletableFuture<>();
  private volatile long toolRoundTripMs = -1;

  /**
   * @param showEvents also print every session event and the calls' starts and ends
   * @param prefixCallId start each line with the call id (when following several calls)
   */
  public CallFollower(
      Selection selection, PrintStream out, boolean showEvents, boolean prefixCallId) {
    this.selection = selection;
    this.out = out;
    this.showEvents = showEvents;
    this.prefixCallId = prefixCallId;
  }

  /** The CallSummary of the first followed call that ends. */
  public CompletableFuture<CallSummary> firstSummary() {
    return firstSummary;
  }

  /** ToolCall to ToolResult time of the last tool result seen, in ms; -1 before any. */
  public long toolRoundTripMs() {
    return toolRoundTripMs;
  }

  /**
   * Feeds one record; {@code topic} is the topic name without the prefix. A record that cannot be
   * decoded is reported in one line and skipped.
   */
  public void accept(String topic, String key, byte[] value) {
    if (key == null || value == null) {
      return;
    }
    try {
      route(topic, key, value);
    } catch (RuntimeException e) {
      out.println(
          "  (skipped an undecodable record of call " + key + " on " + topic + ": " + e + ")");
    }
  }

  private void route(String topic, String key, byte[] value) {
    if (topic.equals("call.control")) {
      var event =
          Topics.CALL_CONTROL.valueSerde().deserializer().deserialize(topic, value).getEvent();
      if (event instanceof CallStarted started) {
        decide(key, selection.byStart().test(started));
      }
    } else if (selection.byTenant() != null && decision(key) == null) {
      // Records carry their call's tenant (contract v2): no need to wait for the CallStarted.
      tenantOf(topic, value).ifPresent(tenant -> decide(key, selection.byTenant().test(tenant)));
    }
    Boolean follow = decision(key);
    if (follow == null) {
      if (held.size() < MAX_HELD) {
        held.add(new Held(topic, key, value));
      }
      return;
    }
    if (follow) {
      print(topic, key, value);
    }
  }

  private static java.util.Optional<String> tenantOf(String topic, byte[] value) {
    String tenant =
        switch (topic) {
          case "transcripts" ->
              Topics.TRANSCRIPTS
                  .valueSerde()
                  .deserializer()
                  .deserialize(topic, value)
                  .getTenantId();
          case "tool.calls" ->
              Topics.TOOL_CALLS.valueSerde().deserializer().deserialize(topic, value).getTenantId();
          case "tool.results" ->
              Topics.TOOL_RESULTS
                  .valueSerde()
                  .deserializer()
                  .deserialize(topic, value)
                  .getTenantId();
          case "session.events" ->
              Topics.SESSION_EVENTS
                  .valueSerde()
                  .deserializer()
                  .deserialize(topic, value)
                  .getTenantId();
          default -> null;
        };
    return java.util.Optional.ofNullable(tenant);
  }

  /** Follow, skip, or not known yet (null). */
  private Boolean decision(String callId) {
    if (selection.byKey() != null) {
      return selection.byKey().test(callId);
    }
    return decided.get(callId);
  }

  private void decide(String callId, boolean follow) {
    decided.put(callId, follow);
    List<Held> ready = held.stream().filter(h -> h.key().equals(callId)).toList();
    held.removeAll(ready);
    if (follow) {
      ready.forEach(h -> print(h.topic(), h.key(), h.value()));
    }
  }

  private record Held(String topic, String key, byte[] value) {}

  private void print(String topic, String key, byte[] value) {
    switch (topic) {
      case "call.control" ->
          onControl(
              key,
              Topics.CALL_CONTROL.valueSerde().deserializer().deserialize(topic, value).getEvent());
      case "transcripts" ->
          onTranscript(
              key, Topics.TRANSCRIPTS.valueSerde().deserializer().deserialize(topic, value));
      case "tool.calls" ->
          onToolCall(key, Topics.TOOL_CALLS.valueSerde().deserializer().deserialize(topic, value));
      case "tool.results" ->
          onToolResult(
              key, Topics.TOOL_RESULTS.valueSerde().deserializer().deserialize(topic, value));
      case "session.events" ->
          onSessionEvent(
              key, Topics.SESSION_EVENTS.valueSerde().deserializer().deserialize(topic, value));
      default -> {}
    }
  }

  private void line(String callId, String who, String text) {
    String prefix = prefixCallId ? callId + " " : "  ";
    out.println(prefix + who + " | " + text);
  }

  private void onControl(String callId, Object event) {
    if (!showEvents) {
      return;
    }
    if (event instanceof CallStarted s) {
      line(
          callId,
          "call  ",
          "started: tenant "
              + s.getTenantId()
              + ", profile "
              + s.getAgentProfile()
              + ", "
              + s.getSource()
              + " "
              + s.getCodec()
              + (s.getExternalCallId() == null ? "" : ", external id " + s.getExternalCallId()));
    } else if (event instanceof CallEnded e) {
      line(callId, "call  ", "ended: " + e.getReason() + " (" + e.getDetail() + ")");
    }
  }

  private void onTranscript(String callId, TranscriptEvent event) {
    if (event.getKind() != TranscriptKind.FINAL) {
      return;
    }
    String who = event.getRole() == Speaker.CALLER ? "caller" : "agent ";
    String note = event.getInterrupted() ? "  [interrupted; the caller heard this much]" : "";
    line(callId, who, event.getText() + note);
  }

  private void onToolCall(String callId, ToolCall call) {
    toolRequestedAt.put(call.getToolCallId(), call.getRequestedAt().toEpochMilli());
    line(callId, "tool  ", "-> " + call.getName() + " " + call.getArgumentsJson());
  }

  private void onToolResult(String callId, ToolResult result) {
    Long requested = toolRequestedAt.remove(result.getToolCallId());
    if (requested != null) {
      toolRoundTripMs = result.getCompletedAt().toEpochMilli() - requested;
    }
    line(
        callId,
        "tool  ",
        "<- " + result.getStatus().name().toLowerCase(Locale.ROOT) + " " + result.getOutputJson());
  }

  private void onSessionEvent(String callId, SessionEvent event) {
    Object payload = event.getEvent();
    if (payload instanceof SessionError error) {
      line(callId, "error ", error.getCode() + ": " + error.getMessage());
    } else if (showEvents) {
      line(callId, "event ", payload.getClass().getSimpleName() + " " + payload);
    }
    if (payload instanceof CallSummary summary) {
      firstSummary.complete(summary);
    }
  }
}

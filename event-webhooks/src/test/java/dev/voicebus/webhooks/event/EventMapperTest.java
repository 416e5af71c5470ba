package dev.voicebus.webhooks.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.CallSummary;
import dev.voicebus.avro.ErrorSource;
import dev.voicebus.avro.SessionError;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.SessionLifecycle;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.avro.TokenUsage;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.schemas.SampleRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventMapperTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SourceRef CONTROL = new SourceRef("voicebus.call.control", 3, 41);
  private static final SourceRef SESSION = new SourceRef("voicebus.session.events", 3, 7);

  private final EventMapper mapper = new EventMapper(new CallDirectory(Duration.ofHours(3)));

  private static CallStarted started(String callId) {
    return (CallStarted) SampleRecords.callControl(callId).get(0).getEvent();
  }

  private static JsonNode json(WebhookEvent event) throws Exception {
    return JSON.readTree(event.body());
  }

  @Test
  void callStartedCarriesTheCallsIdentityButNotTheCallersMetadata() throws Exception {
    List<WebhookEvent> events = mapper.callStarted(CONTROL, started("c1")).events();
    assertThat(events).hasSize(1);
    WebhookEvent event = events.get(0);
    assertThat(event.type()).isEqualTo(EventType.CALL_STARTED);
    assertThat(event.tenantId()).isEqualTo("acme");
    JsonNode body = json(event);
    assertThat(body.path("type").asText()).isEqualTo("call.started");
    assertThat(body.path("timestamp").asText()).isEqualTo("2026-11-24T12:00:00.123Z");
    JsonNode data = body.path("data");
    assertThat(data.path("callId").asText()).isEqualTo("c1");
    assertThat(data.path("tenantId").asText()).isEqualTo("acme");
    assertThat(data.path("agentProfile").asText()).isEqualTo("support");
    assertThat(data.path("externalCallId").asText()).isEqualTo("CA123");
    assertThat(data.path("source").asText()).isEqualTo("twilio");
    assertThat(data.path("codec").asText()).isEqualTo("pcmu");
    assertThat(event.body()).doesNotContain("+15550100").doesNotContain("callerMetadata");
  }

  @Test
  void callEndedTakesItsTenantFromTheCallsStart() throws Exception {
    mapper.callStarted(CONTROL, started("c2"));
    var ended = new CallEnded("c2", CallEndReason.CALLER_HANGUP, null, 10L, Instant.EPOCH, null);
    List<WebhookEvent> events = mapper.callEnded(CONTROL, ended).events();
    assertThat(events).extracting(WebhookEvent::type).containsExactly(EventType.CALL_ENDED);
    JsonNode data = json(events.get(0)).path("data");
    assertThat(data.path("tenantId").asText()).isEqualTo("acme");
    assertThat(data.path("reason").asText()).isEqualTo("caller_hangup");
    assertThat(data.path("transferTarget").isNull()).isTrue();
    assertThat(mapper.directory().find("c2")).as("kept until the end is committed").isPresent();
    mapper.directory().committed(CONTROL.partition(), CONTROL.offset());
    assertThat(mapper.directory().find("c2")).as("its CallEnded is not committed yet").isPresent();
    mapper.directory().committed(CONTROL.partition(), CONTROL.offset() + 1);
    assertThat(mapper.directory().find("c2")).as("forgotten once its end is committed").isEmpty();
  }

  @Test
  void aCallEndedConsumedAgainBeforeItWasCommittedIsStillRouted() {
    mapper.callStarted(CONTROL, started("c9"));
    var ended = new CallEnded("c9", CallEndReason.AGENT_HANGUP, null, 10L, Instant.EPOCH, null);
    String first = mapper.callEnded(CONTROL, ended).events().get(0).id();
    // A rebalance or a restarted loop resumes from the committed offset, before the CallEnded.
    List<WebhookEvent> again = mapper.callEnded(CONTROL, ended).events();
    assertThat(again).singleElement().extracting(WebhookEvent::id).isEqualTo(first);
  }

  @Test
  void aTransferredCallIsReportedAsTransferredThenEnded() throws Exception {
    mapper.callStarted(CONTROL, started("c3"));
    var ended = (CallEnded) SampleRecords.callControl("c3").get(3).getEvent();
    List<WebhookEvent> events = mapper.callEnded(CONTROL, ended).events();
    assertThat(events)
        .extracting(WebhookEvent::type)
        .containsExactly(EventType.CALL_TRANSFERRED, EventType.CALL_ENDED);
    assertThat(json(events.get(0)).path("data").path("transferTarget").asText())
        .isEqualTo("+15551234567");
    assertThat(events.get(0).id()).isNotEqualTo(events.get(1).id());
  }

  @Test
  void anEndOfACallThatWasNeverSeenCannotBeRouted() {
    var ended = new CallEnded("ghost", CallEndReason.CALLER_HANGUP, null, 10L, Instant.EPOCH, null);
    Mapping mapping = mapper.callEnded(CONTROL, ended);
    assertThat(mapping.events()).isEmpty();
    assertThat(mapping.unroutable()).isPresent();
  }

  @Test
  void sessionEventsBecomeSummaryErrorAndRecordingReady() throws Exception {
    List<SessionEvent> all = SampleRecords.sessionEvents("c4");
    List<WebhookEvent> events =
        all.stream().flatMap(e -> mapper.sessionEvent(SESSION, e).events().stream()).toList();
    assertThat(events)
        .extracting(WebhookEvent::type)
        .containsExactly(EventType.CALL_ERROR, EventType.CALL_SUMMARY, EventType.RECORDING_READY);
    JsonNode summary = json(events.get(1)).path("data");
    assertThat(summary.path("turns").asInt()).isEqualTo(4);
    assertThat(summary.path("usage").path("outputAudioTokens").asLong()).isEqualTo(300);
    assertThat(summary.path("costUsd").asDouble()).isEqualTo(0.05);
    JsonNode recording = json(events.get(2)).path("data");
    assertThat(recording.path("location").asText()).startsWith("file:///recordings/acme/");
    assertThat(recording.path("pausedMs").asLong()).isEqualTo(4000);
    JsonNode error = json(events.get(0)).path("data");
    assertThat(error.path("code").asText()).isEqualTo("invalid_value");
    assertThat(error.path("fatal").asBoolean()).isFalse();
  }

  @Test
  void aSessionEventWithoutATenantUsesTheDirectoryOrIsUnroutable() {
    SessionEvent summary =
        new SessionEvent(
            "c5",
            null,
            Instant.EPOCH,
            new CallSummary("done", 1L, 1, 0, 0, TokenUsage.newBuilder().build(), 0.0),
            null,
            null,
            null,
            null);
    assertThat(mapper.sessionEvent(SESSION, summary).unroutable()).isPresent();
    mapper.callStarted(CONTROL, started("c5"));
    assertThat(mapper.sessionEvent(SESSION, summary).events())
        .singleElement()
        .extracting(WebhookEvent::tenantId)
        .isEqualTo("acme");
  }

  @Test
  void onlyFailedToolResultsBecomeEvents() throws Exception {
    ToolResult ok = SampleRecords.toolResult("c6");
    assertThat(mapper.toolResult(SESSION, ok).events()).isEmpty();
    ToolResult failed =
        new ToolResult(
            "c6",
            "call_abc",
            "transfer_call",
            ToolStatus.ERROR,
            "{\"error\":\"http_503\",\"message\":\"The billing service failed.\"}",
            12L,
            2,
            SampleRecords.AT,
            null,
            "acme",
            "support",
            null);
    WebhookEvent event = mapper.toolResult(SESSION, failed).events().get(0);
    JsonNode data = json(event).path("data");
    assertThat(event.type()).isEqualTo(EventType.TOOL_FAILED);
    assertThat(data.path("tool").asText()).isEqualTo("transfer_call");
    assertThat(data.path("error").asText()).isEqualTo("http_503");
    assertThat(data.path("message").asText()).isEqualTo("The billing service failed.");
    assertThat(data.path("status").asText()).isEqualTo("error");
    assertThat(event.id()).isEqualTo(WebhookIds.of(EventType.TOOL_FAILED, "call_abc"));
  }

  @Test
  void idsAreStableForTheSameEventAndDifferForDifferentOnes() {
    String first = mapper.callStarted(CONTROL, started("c7")).events().get(0).id();
    String again =
        mapper
            .callStarted(new SourceRef("voicebus.call.control", 3, 99), started("c7"))
            .events()
            .get(0)
            .id();
    String other = mapper.callStarted(CONTROL, started("c8")).events().get(0).id();
    assertThat(first).isEqualTo(again).startsWith("msg_").hasSize(26).isNotEqualTo(other);
    SessionEvent error =
        new SessionEvent(
            "c7",
            null,
            Instant.EPOCH,
            new SessionError(ErrorSource.WORKER, null, "boom_code", "boom", null, true),
            null,
            "acme",
            null,
            null);
    assertThat(mapper.sessionEvent(SESSION, error).events().get(0).id())
        .isEqualTo(WebhookIds.of(EventType.CALL_ERROR, SESSION));
    assertThat(
            mapper
                .sessionEvent(
                    SESSION,
                    new SessionEvent(
                        "c7",
                        null,
                        Instant.EPOCH,
                        new SessionLifecycle(SessionPhase.CLOSED, null, null),
                        null,
                        "acme",
                        null,
                        null))
                .events())
        .as("other lifecycle phases are not events")
        .isEmpty();
  }

  @Test
  void directoryForgetsCallsOlderThanTheLookback() {
    var directory = new CallDirectory(Duration.ofHours(1));
    var started = started("old");
    new EventMapper(directory).callStarted(CONTROL, started);
    assertThat(directory.expire(SampleRecords.AT.plus(Duration.ofMinutes(59)))).isZero();
    assertThat(directory.expire(SampleRecords.AT.plus(Duration.ofMinutes(61)))).isEqualTo(1);
    assertThat(directory.find("old")).isEmpty();
  }
}

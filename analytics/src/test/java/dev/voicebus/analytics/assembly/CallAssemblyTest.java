package dev.voicebus.analytics.assembly;

import static dev.voicebus.analytics.CallRecords.at;
import static dev.voicebus.analytics.CallRecords.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.analytics.CallRecords;
import dev.voicebus.analytics.config.DocumentLimits;
import dev.voicebus.analytics.usage.UsageDelta;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallRecord;
import dev.voicebus.avro.CallStatus;
import dev.voicebus.avro.CallTurn;
import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.ToolStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallAssemblyTest {

  static {
    // Avro builds generated classes only from packages a serde has vouched for.
    dev.voicebus.analytics.TestAvro.trust();
  }

  private final CallRecords call = new CallRecords("call-1", "acme");
  private final CallAssembly assembly = new CallAssembly(DocumentLimits.DEFAULTS);
  private final List<UsageDelta> usage = new ArrayList<>();
  private final List<Boolean> finals = new ArrayList<>();

  private CallRecord feed(CallRecord doc, Object... records) {
    for (Object record : records) {
      Assembled result = assembly.apply(doc, "call-1", input(record));
      usage.addAll(result.usage());
      finals.add(result.becameFinal());
      doc = result.document();
    }
    return doc;
  }

  /** The demo's shape, with the second caller final arriving after the agent began answering. */
  private CallRecord wholeCall() {
    return feed(
        null,
        call.started(0),
        call.created(50, "sess-1"),
        call.delta(2700, "c1", Speaker.CALLER, "Hi, I'd"),
        call.callerFinal(2900, "c1", "Hi, I'd like to check on my order.", 1000, 2500),
        call.delta(3000, "a1", Speaker.AGENT, "Hello,"),
        call.agentFinal(6000, "a1", "Hello, what is your order number?", 2800, false),
        call.usage(6100, 100, 200, 0.02),
        call.toolCall(8500, "tc-1"),
        call.toolResult(8540, "tc-1", ToolStatus.OK),
        call.delta(9000, "a2", Speaker.AGENT, "Thanks"),
        call.callerFinal(9100, "c2", "It's A1001.", 7000, 8000),
        call.agentFinal(11000, "a2", "Thanks for waiting, it is shipped.", 3000, false),
        call.agentFinal(11500, "a2", "Thanks for", 1200, true),
        call.ended(15000, CallEndReason.CALLER_HANGUP, null),
        call.summary(15100, 15000));
  }

  @Test
  void assemblesTheConversationInOrderWithTurnLatencyAndTalkTime() {
    CallRecord doc = wholeCall();

    assertThat(doc.getTurns())
        .extracting(CallTurn::getItemId)
        .containsExactly("c1", "a1", "c2", "a2");
    assertThat(doc.getTurns().get(0).getStartedAt()).isEqualTo(at(1000));
    assertThat(doc.getTurns().get(0).getEndedAt()).isEqualTo(at(2500));
    assertThat(doc.getTurns().get(1).getLatencyMs()).isEqualTo(500L);
    assertThat(doc.getTurns().get(3).getLatencyMs()).isEqualTo(1000L);
    CallTurn cut = doc.getTurns().get(3);
    assertThat(cut.getInterrupted()).isTrue();
    assertThat(cut.getText()).isEqualTo("Thanks for waiting, it is shipped.");
    assertThat(cut.getHeardText()).isEqualTo("Thanks for");
    var metrics = doc.getMetrics();
    assertThat(metrics.getCallerTurns()).isEqualTo(2);
    assertThat(metrics.getAgentTurns()).isEqualTo(2);
    assertThat(metrics.getInterruptions()).isEqualTo(1);
    assertThat(metrics.getCallerTalkMs()).isEqualTo(2500);
    assertThat(metrics.getAgentTalkMs()).isEqualTo(2800 + 1200);
    assertThat(metrics.getSilenceMs()).isEqualTo(15000L - 2500 - 4000);
    assertThat(metrics.getTurnLatencyP50Ms()).isEqualTo(1000L);
    assertThat(metrics.getTurnLatencyMaxMs()).isEqualTo(1000L);
  }

  @Test
  void carriesIdentityToolsUsageAndTheEnd() {
    CallRecord doc = wholeCall();

    assertThat(doc.getTenantId()).isEqualTo("acme");
    assertThat(doc.getAgentProfile()).isEqualTo("support");
    assertThat(doc.getExternalCallId()).isEqualTo("CA-call-1");
    assertThat(doc.getCallerMetadata()).containsEntry("from", "+15550100");
    assertThat(doc.getModel()).isEqualTo("gpt-realtime");
    assertThat(doc.getSessionIds()).containsExactly("sess-1");
    assertThat(doc.getToolCalls())
        .singleElement()
        .satisfies(
            tool -> {
              assertThat(tool.getName()).isEqualTo("lookup_order");
              assertThat(tool.getArgumentsJson()).isEqualTo("{\"order_id\":\"A1001\"}");
              assertThat(tool.getStatus()).isEqualTo(ToolStatus.OK);
              assertThat(tool.getLatencyMs()).isEqualTo(40L);
            });
    assertThat(doc.getUsage().getInputAudioTokens()).isEqualTo(100);
    assertThat(doc.getCostUsd()).isEqualTo(0.02);
    assertThat(doc.getStatus()).isEqualTo(CallStatus.ENDED);
    assertThat(doc.getEndReason()).isEqualTo(CallEndReason.CALLER_HANGUP);
    assertThat(doc.getDurationMs()).isEqualTo(15000L);
    assertThat(doc.getRecordingUri()).isNull();
    assertThat(finals).containsOnlyOnce(true);
    assertThat(finals.get(finals.size() - 1)).isTrue();
  }

  @Test
  void addsToTheTenantsUsageOnceAndSplitsCallTimeAtTheHour() {
    wholeCall();

    assertThat(usage).allSatisfy(d -> assertThat(d.getTenantId()).isEqualTo("acme"));
    assertThat(usage.stream().mapToLong(UsageDelta::getCalls).sum()).isEqualTo(1);
    assertThat(usage.stream().mapToLong(UsageDelta::getToolCalls).sum()).isEqualTo(1);
    assertThat(usage.stream().mapToLong(UsageDelta::getOutputAudioTokens).sum()).isEqualTo(200);
    assertThat(usage.stream().flatMap(d -> d.getTurnLatenciesMs().stream()))
        .containsExactlyInAnyOrder(500L, 1000L);
    // 10:59:50 to 11:00:05: 10 s in the 10:00 hour, 5 s in the 11:00 hour.
    assertThat(usage.stream().filter(d -> d.getCallMs() > 0))
        .extracting(UsageDelta::getAt, UsageDelta::getCallMs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(at(0), 10_000L),
            org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-11-24T11:00:00Z"), 5_000L));
  }

  @Test
  void buildsTheDocumentFromRecordsThatArriveBeforeCallStarted() {
    CallRecord doc =
        feed(
            null,
            call.delta(3000, "a1", Speaker.AGENT, "Hello"),
            call.agentFinal(5000, "a1", "Hello there.", 1500, false),
            call.started(0));

    assertThat(doc.getTenantId()).isEqualTo("acme");
    assertThat(doc.getStartedAt()).isEqualTo(at(0));
    assertThat(doc.getStatus()).isEqualTo(CallStatus.LIVE);
    assertThat(doc.getTurns())
        .singleElement()
        .extracting(CallTurn::getText)
        .isEqualTo("Hello there.");
    assertThat(usage.stream().mapToLong(UsageDelta::getCalls).sum()).isEqualTo(1);
  }

  @Test
  void placesCallerSpeechOnTheCallsClockWhenCallStartedArrivesLate() {
    CallRecord doc =
        feed(
            null,
            call.created(50, "sess-1"),
            call.callerFinal(2900, "c1", "Hi.", 1000, 2500),
            call.delta(3000, "a1", Speaker.AGENT, "Hello"),
            call.started(0));

    assertThat(doc.getTurns().get(0).getEndedAt()).isEqualTo(at(2500));
    assertThat(doc.getTurns().get(1).getLatencyMs()).isEqualTo(500L);
  }

  @Test
  void endsOnBothEndSignalsInEitherOrder() {
    CallRecord summaryFirst = feed(null, call.started(0), call.summary(900, 900));
    assertThat(summaryFirst.getStatus()).isEqualTo(CallStatus.ENDING);
    assertThat(feed(summaryFirst, call.ended(1000, CallEndReason.AGENT_HANGUP, null)).getStatus())
        .isEqualTo(CallStatus.ENDED);

    CallRecord endedFirst =
        feed(null, call.started(0), call.ended(1000, CallEndReason.CALLER_HANGUP, null));
    CallRecord duplicate = feed(endedFirst, call.ended(1001, CallEndReason.CALLER_HANGUP, null));
    assertThat(duplicate.getStatus()).isEqualTo(CallStatus.ENDING);
    assertThat(feed(duplicate, call.summary(1100, 1000)).getStatus()).isEqualTo(CallStatus.ENDED);
  }

  @Test
  void theRecordingAnnouncedAfterTheEndIsAddedToTheFinalDocument() {
    CallRecord ended = wholeCall();
    assertThat(ended.getStatus()).isEqualTo(CallStatus.ENDED);
    assertThat(ended.getRecordingUri()).isNull();

    CallRecord recorded = feed(ended, call.recordingReady(16000, "file:///rec/call-1.wav"));

    assertThat(recorded.getRecordingUri()).isEqualTo("file:///rec/call-1.wav");
    assertThat(recorded.getStatus()).isEqualTo(CallStatus.ENDED);
    assertThat(recorded.getRevision()).isEqualTo(ended.getRevision() + 1);
    assertThat(finals.get(finals.size() - 1)).as("not final a second time").isFalse();
  }

  @Test
  void aTransferKeepsItsTarget() {
    CallRecord doc =
        feed(null, call.started(0), call.ended(5000, CallEndReason.TRANSFERRED, "+15550199"));

    assertThat(doc.getEndReason()).isEqualTo(CallEndReason.TRANSFERRED);
    assertThat(doc.getTransferTarget()).isEqualTo("+15550199");
  }

  @Test
  void anEndingCallBecomesFinalAfterTheGraceAndASilentOneIsAbandoned() {
    CallRecord ending =
        feed(null, call.started(0), call.ended(1000, CallEndReason.CALLER_HANGUP, null));
    Duration grace = Duration.ofSeconds(10);
    Duration abandon = Duration.ofHours(3);

    var seen = new CallAssembly.Activity(at(1000), at(1000));
    assertThat(assembly.expire(ending, at(10_999), seen, grace, abandon).changed()).isFalse();
    Assembled graced = assembly.expire(ending, at(11_000), seen, grace, abandon);
    assertThat(graced.document().getStatus()).isEqualTo(CallStatus.ENDED);
    assertThat(graced.becameFinal()).isTrue();

    CallRecord live = feed(null, call.started(0));
    var quiet = new CallAssembly.Activity(at(0), at(0));
    assertThat(
            assembly
                .expire(live, at(0).plus(abandon).minusMillis(1), quiet, grace, abandon)
                .changed())
        .isFalse();
    Assembled abandoned = assembly.expire(live, at(0).plus(abandon), quiet, grace, abandon);
    assertThat(abandoned.document().getStatus()).isEqualTo(CallStatus.ENDED);
    assertThat(abandoned.document().getEndDetail()).contains("never seen");
    assertThat(abandoned.document().getEndedAt()).isEqualTo(at(0));
  }

  @Test
  void placesCallerSpeechAfterAReconnectOnTheNewSessionsClock() {
    CallRecord doc =
        feed(
            null,
            call.started(0),
            call.reconnect(20_000, "socket closed: 1011", 2000),
            call.callerFinal(21_000, "c9", "Are you there?", 1000, 2500));

    CallTurn turn = doc.getTurns().get(0);
    assertThat(turn.getStartedAt()).isEqualTo(at(18_000 + 1000));
    assertThat(turn.getEndedAt()).isEqualTo(at(18_000 + 2500));
    assertThat(doc.getMetrics().getReconnects()).isEqualTo(1);
    assertThat(doc.getMetrics().getFailovers()).isZero();
    assertThat(feed(doc, call.reconnect(30_000, "worker failover", 0)).getMetrics().getFailovers())
        .isEqualTo(1);
  }

  @Test
  void staysWithinItsLimitsAndKeepsTheFiguresOfWhatItDropped() {
    var small = new CallAssembly(new DocumentLimits(10, 5, 100, 3, 16 * 1024));
    CallRecord doc = null;
    for (int i = 0; i < 30; i++) {
      doc =
          small
              .apply(
                  doc,
                  "call-1",
                  input(
                      call.callerFinal(
                          1000 * i + 900, "c" + i, "x".repeat(150), 1000L * i, 1000L * i + 500)))
              .document();
    }

    assertThat(doc.getTurns()).hasSize(10);
    assertThat(doc.getTurns().get(0).getItemId()).isEqualTo("c20");
    assertThat(doc.getTurns().get(0).getText()).hasSize(100);
    assertThat(doc.getTurns().get(0).getClipped()).isTrue();
    assertThat(doc.getTruncation().getDroppedTurns()).isEqualTo(20);
    assertThat(doc.getTruncation().getClippedTexts()).isEqualTo(30);
    assertThat(doc.getMetrics().getCallerTurns()).isEqualTo(30);
    assertThat(doc.getMetrics().getCallerTalkMs()).isEqualTo(30 * 500);
  }

  @Test
  void fitsTheByteBudgetByDroppingTheOldestTurns() {
    var limits = new DocumentLimits(10_000, 5, 4000, 3, 64 * 1024);
    var tight = new CallAssembly(limits);
    CallRecord doc = null;
    for (int i = 0; i < 100; i++) {
      doc =
          tight
              .apply(
                  doc,
                  "call-1",
                  input(
                      call.callerFinal(
                          1000 * i + 900, "c" + i, "y".repeat(3000), 1000L * i, 1000L * i + 500)))
              .document();
    }

    assertThat(
            dev.voicebus.schemas.topic.Topics.CALLS.valueSerde().serializer().serialize("t", doc))
        .hasSizeLessThanOrEqualTo(64 * 1024);
    assertThat(doc.getTruncation().getDroppedTurns()).isPositive();
    assertThat(doc.getMetrics().getCallerTurns()).isEqualTo(100);
  }

  @Test
  void refusesIllegalStatusMoves() {
    assertThatThrownBy(() -> CallLifecycle.move(CallStatus.ENDED, CallStatus.LIVE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ENDED to LIVE");
    assertThatThrownBy(() -> CallLifecycle.move(CallStatus.ENDING, CallStatus.LIVE))
        .isInstanceOf(IllegalStateException.class);
    assertThat(CallLifecycle.move(CallStatus.LIVE, CallStatus.ENDED)).isEqualTo(CallStatus.ENDED);
  }

  @Test
  void ignoresRecordsThatChangeNothing() {
    CallRecord doc = feed(null, call.started(0), call.delta(1000, "a1", Speaker.AGENT, "Hel"));

    Assembled again =
        assembly.apply(doc, "call-1", input(call.delta(1100, "a1", Speaker.AGENT, "lo")));

    assertThat(again.changed()).isFalse();
    assertThat(again.document()).isSameAs(doc);
  }
}

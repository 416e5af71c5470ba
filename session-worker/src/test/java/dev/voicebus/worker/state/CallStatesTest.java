package dev.voicebus.worker.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallStatesTest {

  private final CallState start = dev.voicebus.worker.session.CallFixture.started();

  @Test
  void aChangeKeepsEveryFieldItDoesNotTouch() {
    CallState full =
        CallState.newBuilder()
            .setCallId("call-9")
            .setTenantId("t")
            .setProfileId("p")
            .setCodec("PCMA")
            .setReplyTopic("out")
            .setReplyPartition(7)
            .setStartedAtMs(123L)
            .setStatus(CallStatus.LIVE)
            .setSessionId("sess")
            .setLastSeq(42L)
            .setEntries(List.of(new ConversationEntry(EntryKind.AGENT, "i", "Hello", null, null)))
            .setPendingTools(List.of(new PendingTool("c", "n", 9L)))
            .setSettledTools(List.of("s"))
            .setTurns(3)
            .setToolCalls(2)
            .setReconnects(1)
            .setUsage(new UsageTotals(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 1.5, 0.25))
            .setResponseOwed(true)
            .setSource("TWILIO")
            .setExternalCallId("CA1")
            .setTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
            .build();
    for (var field : CallState.getClassSchema().getFields()) {
      assertThat(full.get(field.pos()))
          .as("the test sets %s to a value other than its default", field.name())
          .isNotEqualTo(
              CallState.newBuilder()
                  .setCallId("x")
                  .setTenantId("x")
                  .setProfileId("x")
                  .setCodec("x")
                  .setReplyTopic("x")
                  .setReplyPartition(0)
                  .setStartedAtMs(0)
                  .setStatus(CallStatus.ENDED)
                  .setUsage(new UsageTotals())
                  .build()
                  .get(field.pos()));
    }

    CallState next = CallStates.apply(full, new StateChange.Reconnected());

    for (var field : CallState.getClassSchema().getFields()) {
      if (!field.name().equals("reconnects")) {
        assertThat(next.get(field.pos())).as(field.name()).isEqualTo(full.get(field.pos()));
      }
    }
    assertThat(next.getReconnects()).isEqualTo(2);
  }

  @Test
  void eachChangeYieldsANewStateAndLeavesTheOldOneAsItWas() {
    var entry = new ConversationEntry(EntryKind.CALLER, "item_1", "Hi", null, null);
    CallState next = CallStates.apply(start, new StateChange.EntryAdded(entry));

    assertThat(next.getEntries()).containsExactly(entry);
    assertThat(start.getEntries()).isEmpty();
  }

  @Test
  void toolsMoveFromPendingToSettledAndCount() {
    CallState asked =
        CallStates.apply(
            start, new StateChange.ToolRequested(new PendingTool("call_1", "lookup_order", 5L)));
    assertThat(asked.getPendingTools())
        .extracting(PendingTool::getToolCallId)
        .containsExactly("call_1");
    assertThat(asked.getToolCalls()).isEqualTo(1);

    CallState settled = CallStates.apply(asked, new StateChange.ToolSettled("call_1"));
    assertThat(settled.getPendingTools()).isEmpty();
    assertThat(settled.getSettledTools()).containsExactly("call_1");
  }

  @Test
  void billingAddsUpTokensCostTurnsAndTranscription() {
    var tokens = new TokenUsage(10L, 20L, 0L, 5L, 0L, 0L, 3L, 40L, 78L);
    CallState billed =
        CallStates.apply(
            CallStates.apply(start, new StateChange.ResponseBilled(tokens, 0.5)),
            new StateChange.ResponseBilled(tokens, 0.25));
    billed = CallStates.apply(billed, new StateChange.TranscriptionBilled(12.5, 0.01));

    assertThat(billed.getTurns()).isEqualTo(2);
    assertThat(billed.getUsage().getOutputAudioTokens()).isEqualTo(80L);
    assertThat(billed.getUsage().getTotalTokens()).isEqualTo(156L);
    assertThat(billed.getUsage().getTranscriptionSeconds()).isEqualTo(12.5);
    assertThat(billed.getUsage().getCostUsd())
        .isEqualTo(0.76, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aCutAgentLineReplacesItsEntry() {
    var line =
        new ConversationEntry(EntryKind.AGENT, "item_a", "Hello, thanks for calling.", null, null);
    CallState state = CallStates.apply(start, new StateChange.EntryAdded(line));
    state = CallStates.apply(state, new StateChange.AgentLineCut("item_a", "Hello,"));

    assertThat(state.getEntries()).extracting(ConversationEntry::getText).containsExactly("Hello,");
  }

  @Test
  void anEndedCallIsMarkedSoNoLaterOwnerReopensIt() {
    CallState asked =
        CallStates.apply(
            start, new StateChange.ToolRequested(new PendingTool("call_1", "lookup_order", 5L)));

    CallState ended = CallStates.apply(asked, new StateChange.Ended("max_call_duration"));

    assertThat(ended.getStatus()).isEqualTo(CallStatus.ENDED);
    assertThat(ended.getPendingTools()).isEmpty();
  }

  @Test
  void theConversationIsCappedOldestFirstKeepingToolCallsWithTheirOutputs() {
    List<ConversationEntry> entries = new ArrayList<>();
    entries.add(new ConversationEntry(EntryKind.TOOL_CALL, "i0", "{}", "call_0", "lookup_order"));
    entries.add(new ConversationEntry(EntryKind.CALLER, "i1", "first", null, null));
    entries.add(new ConversationEntry(EntryKind.TOOL_OUTPUT, null, "{\"ok\":1}", "call_0", null));
    for (int i = 0; i < CallStates.MAX_ENTRIES; i++) {
      entries.add(new ConversationEntry(EntryKind.CALLER, "c" + i, "turn " + i, null, null));
    }

    List<ConversationEntry> kept = CallStates.bounded(entries);

    assertThat(kept).hasSizeLessThanOrEqualTo(CallStates.MAX_ENTRIES);
    assertThat(kept).noneMatch(e -> "call_0".equals(e.getToolCallId()));
    assertThat(kept.get(kept.size() - 1).getText())
        .isEqualTo("turn " + (CallStates.MAX_ENTRIES - 1));
    assertThat(kept.get(0).getKind()).isNotEqualTo(EntryKind.TOOL_OUTPUT);
  }

  @Test
  void theConversationIsCappedInCharactersToo() {
    String page = "x".repeat(10_000);
    CallState state = start;
    for (int i = 0; i < 10; i++) {
      state =
          CallStates.apply(
              state,
              new StateChange.EntryAdded(
                  new ConversationEntry(EntryKind.CALLER, "c" + i, page, null, null)));
    }

    int chars = state.getEntries().stream().mapToInt(e -> e.getText().length()).sum();
    assertThat(chars).isLessThanOrEqualTo(CallStates.MAX_TEXT_CHARS);
    assertThat(state.getEntries().get(state.getEntries().size() - 1).getItemId()).isEqualTo("c9");
  }

  @Test
  void settledToolIdsAreBounded() {
    CallState state = start;
    for (int i = 0; i < CallStates.MAX_SETTLED + 10; i++) {
      state = CallStates.apply(state, new StateChange.ToolSettled("call_" + i));
    }
    assertThat(state.getSettledTools()).hasSize(CallStates.MAX_SETTLED);
    assertThat(state.getSettledTools()).contains("call_" + (CallStates.MAX_SETTLED + 9));
    assertThat(state.getSettledTools()).doesNotContain("call_0");
  }
}

package dev.voicebus.worker.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ConversationItem;
import dev.voicebus.realtime.event.Role;
import dev.voicebus.worker.state.ConversationEntry;
import dev.voicebus.worker.state.EntryKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationReplayTest {

  @Test
  void replaysTurnsAndToolsInOrderThenAResumeNote() {
    var entries =
        List.of(
            new ConversationEntry(EntryKind.CALLER, "item_1", "Where is my order?", null, null),
            new ConversationEntry(EntryKind.AGENT, "item_2", "Which order number?", null, null),
            new ConversationEntry(
                EntryKind.TOOL_CALL,
                "item_3",
                "{\"order_id\":\"A1001\"}",
                "call_1",
                "lookup_order"),
            new ConversationEntry(
                EntryKind.TOOL_OUTPUT, null, "{\"status\":\"shipped\"}", "call_1", null),
            new ConversationEntry(EntryKind.CALLER, "item_4", "", null, null));

    List<ConversationItem> items =
        ConversationReplay.events(entries).stream()
            .map(e -> ((ClientEvent.ConversationItemCreate) e).item())
            .toList();

    assertThat(items).hasSize(5);
    assertThat(((ConversationItem.Message) items.get(0)).role()).isEqualTo(Role.USER);
    assertThat(((ConversationItem.Message) items.get(1)).role()).isEqualTo(Role.ASSISTANT);
    var call = (ConversationItem.FunctionCall) items.get(2);
    assertThat(call.callId()).isEqualTo("call_1");
    assertThat(call.name()).isEqualTo("lookup_order");
    assertThat(call.arguments()).isEqualTo("{\"order_id\":\"A1001\"}");
    var output = (ConversationItem.FunctionCallOutput) items.get(3);
    assertThat(output.output()).contains("shipped");
    var note = (ConversationItem.Message) items.get(4);
    assertThat(note.role()).isEqualTo(Role.SYSTEM);
    assertThat(note.content().get(0).text()).isEqualTo(ConversationReplay.RESUME_NOTE);
  }

  @Test
  void anEmptyConversationReplaysNothing() {
    assertThat(ConversationReplay.events(List.of())).isEmpty();
  }
}

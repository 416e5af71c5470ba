package dev.voicebus.worker.realtime;

import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ConversationItem;
import dev.voicebus.worker.state.ConversationEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rebuilds a call's conversation on a fresh Realtime session, since OpenAI has no session resume:
 * each turn becomes a text item (caller turns as user messages, agent turns as assistant messages),
 * tool calls and outputs become function_call / function_call_output items, followed by a system
 * note so the model continues rather than starting over. Pure: no I/O.
 */
public final class ConversationReplay {

  public static final String RESUME_NOTE =
      "The call's connection was re-established. The conversation so far is above; continue it"
          + " naturally without greeting the caller again or repeating yourself.";

  private ConversationReplay() {}

  /** The items to create, in order, on a new session for a call with {@code entries} so far. */
  public static List<ClientEvent> events(List<ConversationEntry> entries) {
    List<ClientEvent> events = new ArrayList<>();
    for (ConversationEntry entry : entries) {
      item(entry).ifPresent(item -> events.add(new ClientEvent.ConversationItemCreate(item)));
    }
    if (!events.isEmpty()) {
      events.add(new ClientEvent.ConversationItemCreate(ConversationItem.systemText(RESUME_NOTE)));
    }
    return events;
  }

  private static Optional<ConversationItem> item(ConversationEntry entry) {
    return Optional.ofNullable(
        switch (entry.getKind()) {
          case CALLER ->
              entry.getText().isBlank() ? null : ConversationItem.userText(entry.getText());
          case AGENT ->
              entry.getText().isBlank() ? null : ConversationItem.assistantText(entry.getText());
          case TOOL_CALL ->
              ConversationItem.functionCall(
                  entry.getToolCallId(), entry.getToolName(), entry.getText());
          case TOOL_OUTPUT ->
              ConversationItem.functionCallOutput(entry.getToolCallId(), entry.getText());
        });
  }
}

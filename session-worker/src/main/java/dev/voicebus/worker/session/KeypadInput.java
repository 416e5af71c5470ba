package dev.voicebus.worker.session;

import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.TranscriptKind;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ConversationItem;
import dev.voicebus.worker.config.DtmfPolicy;
import dev.voicebus.worker.output.Records;
import dev.voicebus.worker.state.ConversationEntry;
import dev.voicebus.worker.state.EntryKind;
import dev.voicebus.worker.state.StateChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's keypad. Digits are collected per the profile's {@link DtmfPolicy} and reach the
 * model as one user message per entry ("The caller pressed 1 2 3 4 #"), which also joins the
 * conversation (so a new session replays it) and the caller's transcript; then, if the profile says
 * so, the model is asked to respond.
 */
final class KeypadInput {

  private static final Logger log = LoggerFactory.getLogger(KeypadInput.class);

  private final CallScope scope;
  private final AgentTurns agent;
  private final StringBuilder entry = new StringBuilder();
  private int entries;

  KeypadInput(CallScope scope, AgentTurns agent) {
    this.scope = scope;
    this.agent = agent;
  }

  void onDigit(String digit) {
    DtmfPolicy policy = scope.call.profile().dtmf();
    if (!policy.enabled()) {
      log.debug("[{}] Keypad input off for this profile; ignored {}", scope.callId(), digit);
      return;
    }
    if (digit == null || !digit.matches("[0-9*#A-D]")) {
      log.warn("[{}] Ignored a keypad event that is not a key: {}", scope.callId(), digit);
      return;
    }
    entry.append(digit);
    if (policy.terminators().contains(digit) || entry.length() >= policy.maxDigits()) {
      finishEntry();
    } else {
      scope.startTimer(TimerKey.Call.KEYPAD, policy.interDigitTimeout());
    }
  }

  /** No key for the inter-digit timeout: the entry is complete. */
  void onTimeout() {
    finishEntry();
  }

  private void finishEntry() {
    if (entry.isEmpty()) {
      return;
    }
    scope.cancelTimer(TimerKey.Call.KEYPAD);
    String text = "The caller pressed " + String.join(" ", entry.toString().split(""));
    String itemId = "dtmf_" + ++entries;
    entry.setLength(0);
    scope.send(new ClientEvent.ConversationItemCreate(ConversationItem.userText(text)));
    // The model hears the keys; what is kept and published is masked or redacted per the profile.
    String kept = scope.redactor().keypad(text);
    scope.change(
        new StateChange.EntryAdded(
            new ConversationEntry(EntryKind.CALLER, itemId, kept, null, null)));
    scope.publish(
        Records.transcript(
            scope.who, itemId, Speaker.CALLER, TranscriptKind.FINAL, kept, scope.now()));
    if (scope.call.profile().dtmf().respond()) {
      agent.requestResponse();
    }
  }
}

package dev.voicebus.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.redaction.policy.CustomPattern;
import dev.voicebus.redaction.policy.RedactionPolicy;
import dev.voicebus.redaction.policy.ReplacementStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallRedactorTest {

  private final CallRedactor call = Redactor.defaults().newCall();

  private List<String> feed(String itemId, String... deltas) {
    List<String> out = new ArrayList<>();
    for (String d : deltas) {
      out.add(call.delta(itemId, d));
    }
    return out;
  }

  @Test
  void ordinaryWordsPassThroughAtOnce() {
    assertThat(feed("i", "Hello", " there,", " how", " can", " I", " help?"))
        .containsExactly("Hello", " there,", " how", " can", " I", " help?");
    assertThat(call.heldChars()).isZero();
  }

  @Test
  void aCardSplitAcrossDeltasIsNeverReleasedEvenPartly() {
    List<String> out = feed("i", "My card is 41", "11 11", "11 1111 ", "1111", ", thanks");
    assertThat(out).containsExactly("My card is ", "", "", "", "[card ****1111], thanks");
    assertThat(String.join("", out)).doesNotContain("41").doesNotContain("1111 ");
  }

  @Test
  void aSpokenCardSplitWordByWordIsReleasedOnlyAsItsLabel() {
    List<String> out = new ArrayList<>(feed("i", "It's"));
    out.add(call.delta("i", " four"));
    for (int i = 0; i < 15; i++) {
      out.add(call.delta("i", " one"));
    }
    out.add(call.delta("i", " okay"));
    assertThat(out.get(0)).isEqualTo("It's");
    assertThat(out.get(1)).isEqualTo(" ");
    assertThat(out.subList(2, 17)).allMatch(String::isEmpty);
    assertThat(out.get(17)).isEqualTo("[card ****1111] okay");
  }

  @Test
  void digitsAreHeldOnlyUntilTheyCannotBeASensitiveValue() {
    assertThat(feed("i", "I need", " 250", " units")).containsExactly("I need", " ", "250 units");
    assertThat(feed("j", "at", " four", " thirty", " then"))
        .containsExactly("at", " ", "", "four thirty then");
  }

  @Test
  void anUnfinishedNumberWordIsHeldUntilTheNextDeltaShowsItIsNot() {
    assertThat(feed("i", "look fo", "r it")).containsExactly("look ", "for it");
    assertThat(feed("j", "look fo", "ur one one")).containsExactly("look ", "");
  }

  @Test
  void completeReleasesTheHeldTailAndGivesTheFinalEqualToWhatWasReleased() {
    List<String> out = feed("i", "the code is", " 4111 1111 1111 1111");
    ItemEnd end = call.complete("i", "the code is 4111 1111 1111 1111");
    assertThat(end.tail()).isEqualTo("[card ****1111]");
    assertThat(String.join("", out) + end.tail()).isEqualTo(end.finalText());
    assertThat(end.finalText()).isEqualTo("the code is [card ****1111]");
  }

  @Test
  void aFinalThatDiffersFromTheDeltasIsRedactedAfresh() {
    feed("i", "card 4111");
    ItemEnd end = call.complete("i", "card 5555 5555 5555 4444");
    assertThat(end.tail()).isEqualTo("4111");
    assertThat(end.finalText()).isEqualTo("card [card ****4444]");
  }

  @Test
  void aCodeAskedForByTheAgentIsRedactedInTheCallersNextTurn() {
    call.complete("agent-1", "Thanks. And the three digit security code on the back?");
    assertThat(call.complete("caller-2", "one two three").finalText()).isEqualTo("[cvv]");
    List<String> streamed = feed("caller-3", "it's", " four", " five", " six", ".");
    assertThat(String.join("", streamed) + call.complete("caller-3", null).tail())
        .isEqualTo("it's [cvv].");
  }

  @Test
  void anExpiryAskedForIsRedactedInTheNextTurnButAnsweringItEndsTheQuestion() {
    call.complete("agent-1", "What's the expiry date?");
    assertThat(call.complete("caller-2", "twelve twenty seven").finalText()).isEqualTo("[expiry]");
    call.complete("agent-3", "And the code?");
    // still card context, so a three-digit number is a code, not another date
    assertThat(call.complete("caller-4", "seven three seven").finalText()).isEqualTo("[cvv]");
  }

  @Test
  void contextFadesAfterAFewTurns() {
    call.complete("agent-1", "What's the security code?");
    for (int i = 0; i < CallRedactor.CONTEXT_ITEMS; i++) {
      call.complete("other-" + i, "hmm");
    }
    assertThat(call.complete("late", "Order 123 please").finalText()).isEqualTo("Order 123 please");
  }

  @Test
  void aCardInOneTurnPutsTheNextTurnInCardContext() {
    call.complete("caller-1", "4111 1111 1111 1111");
    assertThat(call.complete("caller-2", "and 123").finalText()).isEqualTo("and [cvv]");
  }

  @Test
  void aCueSplitAcrossDeltasStillCounts() {
    List<String> out = feed("i", "the security", " code", " is", " 737", ".");
    assertThat(String.join("", out) + call.complete("i", null).tail())
        .isEqualTo("the security code is [cvv].");
  }

  @Test
  void aMonthNameInCardContextIsHeldWithTheYearThatFollows() {
    List<String> out = feed("i", "card 4111 1111 1111 1111 expires", " December", " 2027", " ok");
    assertThat(String.join("", out)).isEqualTo("card [card ****1111] expires [expiry] ok");
    assertThat(out).noneMatch(s -> s.contains("December"));
  }

  @Test
  void customPatternsAreHeldWhileTheyMayStillMatch() {
    CallRedactor custom =
        Redactor.of(
                new RedactionPolicy(
                    true,
                    RedactionPolicy.DEFAULT_DETECTORS,
                    List.of(CustomPattern.compile("account", "ACC-\\d{8}", ReplacementStyle.LABEL)),
                    Map.of(),
                    RedactionPolicy.DEFAULT_MASK,
                    false))
            .newCall();
    assertThat(custom.delta("i", "account AC")).isEqualTo("account ");
    assertThat(custom.delta("i", "C-1234")).isEmpty();
    assertThat(custom.delta("i", "5678 thanks")).isEqualTo("[account] thanks");
  }

  @Test
  void aLongDigitSequenceIsReleasedGraduallyOnceItsStartCannotBeACard() {
    // 60 spoken digits: no card starts with 9. At most 19 digits (a card window), 20 (more than
    // a whole-run detector takes) and the last spoken digit (which may still grow) are held.
    StringBuilder released = new StringBuilder();
    int maxHeld = 0;
    for (int i = 0; i < 60; i++) {
      released.append(call.delta("i", " nine"));
      maxHeld = Math.max(maxHeld, call.heldChars());
    }
    assertThat(maxHeld).isLessThanOrEqualTo(40 * " nine".length());
    assertThat(released.length()).isGreaterThan(20 * " nine".length());
    released.append(call.flush("i"));
    assertThat(released.toString()).isEqualTo(" nine".repeat(60));
  }

  @Test
  void aCardNumberCutIntoTwoTurnsByAPauseIsRedactedInBothTurns() {
    call.complete("agent-1", "Could I have the long card number, please?");
    assertThat(call.complete("caller-2", "4111 1111").finalText()).isEqualTo("[card]");
    assertThat(String.join("", feed("caller-3", "one", " one", " one", " one", " 1111", ".")))
        .isEmpty();
    assertThat(call.complete("caller-3", null).tail()).isEqualTo("[card].");
  }

  @Test
  void aMisheardCardNumberIsRedactedWhenACardNumberWasAskedFor() {
    call.complete("agent-1", "What's your card number?");
    assertThat(call.complete("caller-2", "it's 4111 1111 1111 1112").finalText())
        .isEqualTo("it's [card]");
  }

  @Test
  void onceTheCardNumberIsGivenOtherNumbersAreNotTakenForPartsOfIt() {
    call.complete("agent-1", "What's your card number?");
    call.complete("caller-2", "4111 1111 1111 1111");
    assertThat(call.complete("caller-3", "and my phone is 555 123 4567").finalText())
        .isEqualTo("and my phone is 555 123 4567");
  }

  @Test
  void flushReleasesAnItemThatEndsWithoutAFinal() {
    feed("i", "my number is 4111 1111 1111 1111");
    assertThat(call.flush("i")).isEqualTo("[card ****1111]");
    assertThat(call.flush("i")).isEmpty();
    assertThat(call.heldChars()).isZero();
  }

  @Test
  void itemsAreIndependentStreams() {
    assertThat(call.delta("a", "card 4111 1111")).isEqualTo("card ");
    assertThat(call.delta("b", "hello")).isEqualTo("hello");
    assertThat(call.delta("a", " 1111 1111.")).isEmpty();
    assertThat(call.complete("a", null).tail()).isEqualTo("[card ****1111].");
  }

  @Test
  void theOldestOpenItemIsDroppedBeyondTheLimitWithoutReleasingItsHeldText() {
    call.delta("first", "4111 1111");
    for (int i = 0; i < CallRedactor.MAX_OPEN_ITEMS; i++) {
      call.delta("item-" + i, "hi");
    }
    assertThat(call.flush("first")).isEmpty();
  }

  @Test
  void otherTextOfTheCallIsRedactedInTheCallsContext() {
    call.complete("agent", "Please read me the CVV.");
    assertThat(call.redact("123")).isEqualTo("[cvv]");
  }
}

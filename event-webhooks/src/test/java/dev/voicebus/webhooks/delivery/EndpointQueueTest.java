package dev.voicebus.webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointQueueTest {

  /** An event {@code n} of call {@code call}. */
  private record Item(String call, int n) {}

  private static EndpointQueue<Item> queue(int concurrency) {
    return new EndpointQueue<>(concurrency, Item::call);
  }

  @Test
  void sendsTheNextEventOfACallOnlyAfterThePreviousOneFinished() {
    var queue = queue(4);
    var first = new Item("a", 1);
    var second = new Item("a", 2);
    assertThat(queue.offer(first)).containsExactly(first);
    assertThat(queue.offer(second)).isEmpty();
    assertThat(queue.finished(first)).containsExactly(second);
    assertThat(queue.finished(second)).isEmpty();
    assertThat(queue.size()).isZero();
    assertThat(queue.calls()).isZero();
  }

  @Test
  void aRetryingHeadHoldsBackItsCallButNotOtherCalls() {
    var queue = queue(1);
    var a1 = new Item("a", 1);
    var a2 = new Item("a", 2);
    var b1 = new Item("b", 1);
    queue.offer(a1);
    queue.offer(a2);
    assertThat(queue.offer(b1)).as("the only slot is a1's").isEmpty();
    assertThat(queue.backOff(a1)).as("a1 waits: its slot goes to b1, not a2").containsExactly(b1);
    assertThat(queue.finished(b1)).as("a1 still waits, a2 stays behind it").isEmpty();
    assertThat(queue.retryDue(a1)).containsExactly(a1);
    assertThat(queue.finished(a1)).containsExactly(a2);
  }

  @Test
  void neverSendsMoreThanItsConcurrencyAndTakesCallsRoundRobin() {
    var queue = queue(2);
    var a1 = new Item("a", 1);
    var b1 = new Item("b", 1);
    var c1 = new Item("c", 1);
    var a2 = new Item("a", 2);
    List<Item> started =
        List.of(a1, b1, c1, a2).stream().flatMap(i -> queue.offer(i).stream()).toList();
    assertThat(started).containsExactly(a1, b1);
    assertThat(queue.sendingCount()).isEqualTo(2);
    assertThat(queue.finished(a1)).as("c waited longer than a's next event").containsExactly(c1);
    assertThat(queue.finished(b1)).containsExactly(a2);
  }

  @Test
  void aLateRetryTimerOfARemovedHeadDoesNothing() {
    var queue = queue(1);
    var a1 = new Item("a", 1);
    var a2 = new Item("a", 2);
    queue.offer(a1);
    queue.offer(a2);
    queue.backOff(a1);
    assertThat(queue.removeIf(i -> i.n() == 1)).containsExactly(a1);
    assertThat(queue.startable()).containsExactly(a2);
    assertThat(queue.retryDue(a1)).isEmpty();
  }

  @Test
  void removeLeavesItemsBeingSentUntilTheyFinish() {
    var queue = queue(2);
    var a1 = new Item("a", 1);
    var a2 = new Item("a", 2);
    var b1 = new Item("b", 1);
    queue.offer(a1);
    queue.offer(a2);
    queue.offer(b1);
    assertThat(queue.removeIf(i -> true)).containsExactly(a2);
    assertThat(queue.sending(i -> true)).containsExactlyInAnyOrder(a1, b1);
    assertThat(queue.size()).isEqualTo(2);
    assertThat(queue.finished(a1)).isEmpty();
    assertThat(queue.finished(b1)).isEmpty();
    assertThat(queue.size()).isZero();
  }

  @Test
  void refusesToFinishAnItemThatIsNotBeingSent() {
    var queue = queue(1);
    var a1 = new Item("a", 1);
    var a2 = new Item("a", 2);
    queue.offer(a1);
    queue.offer(a2);
    assertThatThrownBy(() -> queue.finished(a2)).isInstanceOf(IllegalStateException.class);
  }
}

package dev.voicebus.schemas.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CallMdcTest {

  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void putsTheCallsIdsForTheScopeAndRemovesThemAfter() {
    try (CallMdc ignored = CallMdc.open("call-1", "acme", "sess_1")) {
      assertThat(MDC.get("callId")).isEqualTo("call-1");
      assertThat(MDC.get("tenantId")).isEqualTo("acme");
      assertThat(MDC.get("sessionId")).isEqualTo("sess_1");
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void leavesOutUnknownIdsAndRestoresAnOuterScopeOnClose() {
    try (CallMdc outer = CallMdc.open("call-outer", "acme")) {
      try (CallMdc inner = CallMdc.open("call-inner", null)) {
        assertThat(MDC.get("callId")).isEqualTo("call-inner");
        assertThat(MDC.get("tenantId")).as("inner did not set one").isEqualTo("acme");
        assertThat(MDC.get("sessionId")).isNull();
      }
      assertThat(MDC.get("callId")).isEqualTo("call-outer");
      assertThat(MDC.get("tenantId")).isEqualTo("acme");
    }
    assertThat(MDC.get("callId")).isNull();
  }

  @Test
  void wrappedTaskSeesTheIdsOnTheThreadThatRunsIt() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    Thread thread =
        new Thread(CallMdc.wrap("call-2", "acme", () -> seen.set(MDC.get("callId"))), "pool");
    thread.start();
    thread.join();
    assertThat(seen.get()).isEqualTo("call-2");
    assertThat(MDC.get("callId")).isNull();
  }
}

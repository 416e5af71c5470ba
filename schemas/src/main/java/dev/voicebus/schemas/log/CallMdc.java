package dev.voicebus.schemas.log;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Puts a call's ids into the SLF4J MDC ({@code callId}, {@code tenantId}, {@code sessionId}) for
 * the lines logged on this thread while it is open, so text logs can show them and JSON logs carry
 * them as fields. Closing restores what the MDC held before, so scopes nest. Per-call code opens
 * one around each piece of work it does for a call (an event-loop callback, a record, a task);
 * thread pools need {@link #wrap} because the MDC is per thread.
 *
 * <pre>{@code
 * try (var mdc = CallMdc.open(callId, tenantId)) {
 *   log.info("Call started");
 * }
 * }</pre>
 */
public final class CallMdc implements AutoCloseable {

  public static final String CALL_ID = "callId";
  public static final String TENANT_ID = "tenantId";
  public static final String SESSION_ID = "sessionId";

  private final Map<String, String> previous = new HashMap<>();

  private CallMdc() {}

  /** The call's id; {@code tenantId} may be null when not known (it is then left out). */
  public static CallMdc open(String callId, String tenantId) {
    return open(callId, tenantId, null);
  }

  /**
   * The call's ids; a null {@code tenantId} or {@code sessionId} (e.g. the Realtime session id,
   * once known) is left out.
   */
  public static CallMdc open(String callId, String tenantId, String sessionId) {
    CallMdc scope = new CallMdc();
    scope.set(CALL_ID, callId);
    scope.set(TENANT_ID, tenantId);
    scope.set(SESSION_ID, sessionId);
    return scope;
  }

  /** {@code task} run with the call's ids in the MDC of whichever thread runs it. */
  public static Runnable wrap(String callId, String tenantId, Runnable task) {
    return () -> {
      CallMdc scope = open(callId, tenantId);
      try {
        task.run();
      } finally {
        scope.close();
      }
    };
  }

  private void set(String key, String value) {
    if (value == null) {
      return;
    }
    previous.put(key, MDC.get(key));
    MDC.put(key, value);
  }

  @Override
  public void close() {
    previous.forEach(
        (key, value) -> {
          if (value == null) {
            MDC.remove(key);
          } else {
            MDC.put(key, value);
          }
        });
  }
}

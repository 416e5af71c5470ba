package dev.voicebus.worker.runtime;

import dev.voicebus.avro.PlaybackMark;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.realtime.client.RealtimeConnection;
import dev.voicebus.realtime.client.RealtimeHandshakeException;
import dev.voicebus.schemas.log.CallMdc;
import dev.voicebus.worker.session.CallContext;
import dev.voicebus.worker.session.CallCoordinator;
import dev.voicebus.worker.session.Effect;
import dev.voicebus.worker.session.TimerKey;
import dev.voicebus.worker.state.CallState;
import dev.voicebus.worker.topology.LiveCalls;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one call's {@link CallCoordinator} against the real world. Inputs arrive on the stream
 * thread (audio, tool results, marks), the Realtime socket's event loop (server events) and the
 * timer thread; each is queued and handled one at a time by whichever thread finds the queue idle,
 * with no thread hand-off and no lock held while effects run. Effects are carried out in order:
 * sends on the socket and to the output are queued, never blocking; timers go to the shared timer
 * thread. A SIP call's requests to OpenAI's calls API go through {@link SipCalls}, and its session
 * is attached by OpenAI call id instead of opened.
 */
final class LiveCall implements LiveCalls.Call {

  private static final Logger log = LoggerFactory.getLogger(LiveCall.class);
  private static final long WAIT_SECONDS = 10;

  private final CallContext call;
  private final CallCoordinator coordinator;
  private final SessionServices services;
  private final Runnable stateChanged;
  private final Consumer<LiveCall> over;
  private final SipCalls sip;
  private boolean ended;
  private final ConcurrentLinkedQueue<Function<CallCoordinator, List<Effect>>> inputs =
      new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  // Touched only while handling an input, which is serialised by the queue.
  private final Map<TimerKey, ScheduledFuture<?>> timers = new HashMap<>();

  LiveCall(
      CallContext call,
      CallCoordinator coordinator,
      SessionServices services,
      Runnable stateChanged,
      Consumer<LiveCall> over) {
    this.call = call;
    this.coordinator = coordinator;
    this.services = services;
    this.stateChanged = stateChanged;
    this.over = over;
    this.sip =
        call.isSip()
            ? new SipCalls(
                services.realtime().calls(), call.callId(), call.externalCallId(), this::submit)
            : null;
  }

  /** Where the call's session is: connecting, open, reconnecting or ended. */
  String sessionPhase() {
    return coordinator.sessionPhase();
  }

  void start(Optional<String> resumeReason) {
    submit(c -> c.start(resumeReason));
  }

  @Override
  public void audio(byte[] payload, Instant producedAt) {
    submit(c -> c.onCallerAudio(payload, producedAt));
  }

  @Override
  public void toolResult(ToolResult result, String traceparent) {
    submit(c -> c.onToolResult(result, traceparent));
  }

  @Override
  public void playbackMark(PlaybackMark mark) {
    submit(c -> c.onPlaybackMark(mark));
  }

  @Override
  public void keypad(String digit) {
    submit(c -> c.onKeypad(digit));
  }

  @Override
  public void end(String reason) {
    submitAndWait(c -> c.end(reason));
  }

  @Override
  public void handOver() {
    submitAndWait(CallCoordinator::handOver);
  }

  @Override
  public CallState state() {
    return coordinator.state();
  }

  /** Queues an input; handles the queue now unless another thread is already doing so. */
  private void submit(Function<CallCoordinator, List<Effect>> input) {
    inputs.offer(input);
    if (pending.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      Function<CallCoordinator, List<Effect>> next;
      while ((next = inputs.poll()) != null) {
        handle(next);
      }
      missed = pending.addAndGet(-missed);
    } while (missed != 0);
  }

  /** Queues an input and waits until it has been handled (by this thread or another). */
  private void submitAndWait(Function<CallCoordinator, List<Effect>> input) {
    var done = new CompletableFuture<Void>();
    submit(
        c -> {
          try {
            return input.apply(c);
          } finally {
            done.complete(null);
          }
        });
    try {
      done.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.error("[{}] Call did not settle within {} s", call.callId(), WAIT_SECONDS, e);
    }
  }

  private void handle(Function<CallCoordinator, List<Effect>> input) {
    try (CallMdc ignored =
        CallMdc.open(call.callId(), call.tenantId(), coordinator.state().getSessionId())) {
      for (Effect effect : input.apply(coordinator)) {
        execute(effect);
      }
    } catch (RuntimeException e) {
      log.error("[{}] Failed to handle a call input", call.callId(), e);
    }
    if (!ended && coordinator.sessionPhase().equals("ended")) {
      ended = true;
      over.accept(this);
    }
  }

  private void execute(Effect effect) {
    var out = services.out();
    if (effect instanceof Effect.ToRealtime e) {
      e.via().send(e.event());
    } else if (effect instanceof Effect.ToCaller e) {
      out.audioOut(call.replyTopic(), call.replyPartition(), call.callId(), e.out());
    } else if (effect instanceof Effect.PublishTranscript e) {
      out.transcript(e.event());
    } else if (effect instanceof Effect.PublishSessionEvent e) {
      out.sessionEvent(e.event());
    } else if (effect instanceof Effect.PublishToolCall e) {
      out.toolCall(e.call(), e.traceparent());
    } else if (effect instanceof Effect.StateChanged) {
      stateChanged.run();
    } else if (effect instanceof Effect.StartTimer e) {
      startTimer(e.key(), e.after().toMillis());
    } else if (effect instanceof Effect.CancelTimer e) {
      Optional.ofNullable(timers.remove(e.key())).ifPresent(t -> t.cancel(false));
    } else if (effect instanceof Effect.CancelAllTimers) {
      timers.values().forEach(t -> t.cancel(false));
      timers.clear();
    } else if (effect instanceof Effect.OpenSession e) {
      openSession(e.generation());
    } else if (effect instanceof Effect.CloseSession e) {
      e.connection().close(e.code(), e.reason());
    } else {
      executeSip(effect);
    }
  }

  private void executeSip(Effect effect) {
    if (effect instanceof Effect.AcceptCall e) {
      sip.accept(e.session());
    } else if (effect instanceof Effect.AttachSession e) {
      attachSession(e.generation());
    } else if (effect instanceof Effect.RejectCall e) {
      sip.reject(e.sipStatus());
    } else if (effect instanceof Effect.ReferCall e) {
      sip.refer(e.toolCallId(), e.targetUri());
    } else if (effect instanceof Effect.HangUpCall) {
      sip.hangUp();
    } else if (effect instanceof Effect.PublishCallEnded e) {
      services.out().callEnded(e.ended());
    }
  }

  private void startTimer(TimerKey key, long delayMs) {
    var fired = new CompletableFuture<ScheduledFuture<?>>();
    ScheduledFuture<?> timer =
        services
            .timers()
            .schedule(
                () -> submit(c -> fire(c, key, fired.join())), delayMs, TimeUnit.MILLISECONDS);
    fired.complete(timer);
    Optional.ofNullable(timers.put(key, timer)).ifPresent(t -> t.cancel(false));
  }

  /** A timer fired; it counts only if it is still the call's timer for its key. */
  private List<Effect> fire(CallCoordinator c, TimerKey key, ScheduledFuture<?> timer) {
    if (timers.get(key) != timer) {
      return List.of();
    }
    timers.remove(key);
    return c.onTimer(key);
  }

  private void openSession(int generation) {
    var listener = new SessionListener(generation, this::submit);
    opened(generation, listener, services.realtime().connect(call.profile().model(), listener));
  }

  /**
   * Attaches a sideband socket to the SIP call; a refusal with 404 means OpenAI no longer knows the
   * call, which is over then.
   */
  private void attachSession(int generation) {
    var listener = new SessionListener(generation, this::submit);
    CompletableFuture<RealtimeConnection> attached;
    try {
      attached = services.realtime().attach(call.externalCallId(), listener);
    } catch (IllegalArgumentException e) {
      attached = CompletableFuture.failedFuture(e);
    }
    opened(generation, listener, attached);
  }

  private void opened(
      int generation, SessionListener listener, CompletableFuture<RealtimeConnection> session) {
    session.whenComplete(
        (connection, error) -> {
          if (error == null) {
            listener.opened(c -> c.onSessionOpened(generation, connection));
          } else if (isCallGone(error)) {
            submit(c -> c.onCallGone(generation, String.valueOf(unwrap(error).getMessage())));
          } else {
            Throwable cause = unwrap(error);
            submit(
                c ->
                    c.onSessionFailed(
                        generation, String.valueOf(cause.getMessage()), isFatal(cause)));
          }
        });
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  /** Whether an attach was refused because the SIP call is unknown or over (HTTP 404). */
  private boolean isCallGone(Throwable error) {
    return call.isSip()
        && unwrap(error) instanceof RealtimeHandshakeException handshake
        && handshake.status() == 404;
  }

  /**
   * Whether retrying cannot help: the server refused the upgrade with a status the same key cannot
   * fix (bad key, no access, unknown model or path).
   */
  static boolean isFatal(Throwable connectFailure) {
    Throwable cause =
        connectFailure instanceof CompletionException && connectFailure.getCause() != null
            ? connectFailure.getCause()
            : connectFailure;
    return cause instanceof RealtimeHandshakeException handshake && handshake.isFatal();
  }
}

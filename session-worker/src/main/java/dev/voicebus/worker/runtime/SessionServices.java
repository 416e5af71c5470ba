package dev.voicebus.worker.runtime;

import dev.voicebus.observability.trace.Tracing;
import dev.voicebus.realtime.client.RealtimeClient;
import dev.voicebus.worker.config.CallSettings;
import dev.voicebus.worker.metrics.WorkerMetrics;
import dev.voicebus.worker.output.CallOutput;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every live call of a worker shares: the Realtime client (one event loop group for all
 * sockets), the output, one timer thread, the clock, the meters, the per-call settings and the
 * tracing. Owned and closed by the worker service.
 */
public record SessionServices(
    RealtimeClient realtime,
    CallOutput out,
    ScheduledExecutorService timers,
    Clock clock,
    WorkerMetrics metrics,
    CallSettings settings,
    Tracing tracing) {}

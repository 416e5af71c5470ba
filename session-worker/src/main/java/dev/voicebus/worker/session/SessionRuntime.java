package dev.voicebus.worker.session;

import dev.voicebus.realtime.client.RealtimeClient;
import dev.voicebus.worker.cost.PriceTable;
import dev.voicebus.worker.output.OutputPublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every live call of a worker shares: the Realtime client (one event loop group for all
 * sockets), the output publisher, the price table, one timer thread for deadlines, the clock, and
 * the per-call limits. Owned and closed by the worker service.
 */
public record SessionRuntime(
    RealtimeClient realtime,
    OutputPublisher out,
    PriceTable prices,
    ScheduledExecutorService timers,
    Clock clock,
    Duration maxCallDuration,
    Duration rotateAfter,
    int maxBufferedFrames,
    Backoff reconnectBackoff,
    WorkerMetrics metrics) {}

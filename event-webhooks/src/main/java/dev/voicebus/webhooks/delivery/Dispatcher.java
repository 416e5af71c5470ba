package dev.voicebus.webhooks.delivery;

import dev.voicebus.avro.WebhookFailure;
import dev.voicebus.schemas.log.CallMdc;
import dev.voicebus.webhooks.config.Endpoint;
import dev.voicebus.webhooks.metrics.WebhookMetrics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to endpoints: keeps one {@link EndpointQueue} per endpoint, sends the heads it
 * releases with the JDK {@link HttpClient} (asynchronously, signed per attempt with a fresh {@code
 * webhook-timestamp}), retries per the {@link RetryPolicy}, dead-letters to {@code webhooks.dlq}
 * what is rejected, exhausted or shed from a full backlog, and reports each settled delivery
 * (delivered or dead-lettered) to {@code settled}. All of its state lives on one thread, so nothing
 * it does blocks the poll loop or another endpoint; HTTP completions and retry timers hop back onto
 * that thread.
 */
public final class Dispatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final Duration DEAD_LETTER_RETRY = Duration.ofSeconds(1);
  private static final String USER_AGENT = "Voicebus-Webhooks/1";

  /** What the dispatcher needs besides its endpoints. */
  public record Services(
      HttpClient http,
      DeadLetterSink deadLetters,
      WebhookMetrics metrics,
      ScheduledExecutorService thread,
      Clock clock) {}

  private final Services services;
  private final RetryPolicy retry;
  private final int maxPendingPerEndpoint;
  private final Consumer<Delivery> settled;
  private final Map<String, EndpointQueue<Delivery>> queues = new HashMap<>();
  private final Map<String, AtomicInteger> pendingGauges = new HashMap<>();

  /**
   * @param settled called on the dispatcher's thread with each delivery once it is delivered or
   *     dead-lettered (the broker acknowledged the dead letter)
   */
  public Dispatcher(
      List<Endpoint> endpoints,
      RetryPolicy retry,
      int maxPendingPerEndpoint,
      Services services,
      Consumer<Delivery> settled) {
    this.services = services;
    this.retry = retry;
    this.maxPendingPerEndpoint = maxPendingPerEndpoint;
    this.settled = settled;
    for (Endpoint endpoint : endpoints) {
      queues.put(endpoint.id(), new EndpointQueue<>(endpoint.maxConcurrency(), Delivery::callId));
      AtomicInteger gauge = new AtomicInteger();
      pendingGauges.put(endpoint.id(), gauge);
      services.metrics().pending(endpoint.id(), gauge::get);
    }
  }

  /** Hands deliveries over, in order; returns at once. */
  public void submit(List<Delivery> deliveries) {
    if (!deliveries.isEmpty()) {
      services.thread().execute(() -> deliveries.forEach(this::offer));
    }
  }

  /**
   * Stops the deliveries matching {@code filter} (those of partitions this instance lost): queued
   * and waiting ones are dropped, ones being sent are not retried or reported. Their records are
   * redelivered by the partition's next owner. Returns at once.
   */
  public void cancel(Predicate<Delivery> filter) {
    services.thread().execute(() -> cancelNow(filter));
  }

  private void cancelNow(Predicate<Delivery> filter) {
    queues.forEach(
        (id, queue) -> {
          queue.removeIf(filter).forEach(Delivery::cancel);
          // Those being sent finish through onAttempt or deadLetter, which see them cancelled.
          queue.sending(filter).forEach(Delivery::cancel);
          queue.startable().forEach(this::send);
          updateGauge(id);
        });
  }

  private void offer(Delivery delivery) {
    EndpointQueue<Delivery> queue = queues.get(delivery.endpoint().id());
    if (queue.size() >= maxPendingPerEndpoint) {
      delivery.failed(
          "shed: the endpoint has "
              + queue.size()
              + " undelivered events (max-pending-per-endpoint)");
      deadLetter(delivery, WebhookFailure.BACKLOG_FULL, false);
      return;
    }
    queue.offer(delivery).forEach(this::send);
    updateGauge(delivery.endpoint().id());
  }

  private void send(Delivery delivery) {
    Endpoint endpoint = delivery.endpoint();
    delivery.attempted(services.clock().instant());
    long timestamp = services.clock().instant().getEpochSecond();
    String id = delivery.event().id();
    HttpRequest request =
        HttpRequest.newBuilder(endpoint.url())
            .timeout(endpoint.timeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", USER_AGENT)
            .header(WebhookSigner.ID_HEADER, id)
            .header(WebhookSigner.TIMESTAMP_HEADER, Long.toString(timestamp))
            .header(
                WebhookSigner.SIGNATURE_HEADER,
                endpoint.signer().sign(id, timestamp, delivery.event().body()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.event().bodyBytes()))
            .build();
    // The request timeout covers the response headers; this one also a body that never ends.
    long limit = endpoint.timeout().toMillis() + 1000;
    services
        .http()
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .orTimeout(limit, TimeUnit.MILLISECONDS)
        .whenComplete(
            (response, failure) -> {
              AttemptResult result =
                  response != null
                      ? AttemptResult.ofResponse(
                          response.statusCode(),
                          response.headers().firstValue("Retry-After"),
                          services.clock().instant())
                      : AttemptResult.ofFailure(failure, endpoint.timeout());
              execute(() -> onAttempt(delivery, result));
            });
  }

  private void onAttempt(Delivery delivery, AttemptResult result) {
    String endpointId = delivery.endpoint().id();
    EndpointQueue<Delivery> queue = queues.get(endpointId);
    services.metrics().attempt(endpointId, outcome(result));
    if (delivery.cancelled()) {
      queue.finished(delivery).forEach(this::send);
      updateGauge(endpointId);
      return;
    }
    try (var mdc = CallMdc.open(delivery.callId(), delivery.event().tenantId())) {
      if (result instanceof AttemptResult.Delivered) {
        log.debug("Delivered {} ({})", delivery, result.describe());
        services
            .metrics()
            .delivered(
                endpointId,
                delivery.event().type().wireName(),
                Duration.ofNanos(System.nanoTime() - delivery.createdNanos()));
        queue.finished(delivery).forEach(this::send);
        updateGauge(endpointId);
        settled.accept(delivery);
        return;
      }
      delivery.failed(result);
      if (result instanceof AttemptResult.Rejected) {
        log.warn("{} was refused with {}; dead-lettering it", delivery, result.describe());
        deadLetter(delivery, WebhookFailure.REJECTED, true);
      } else if (retry.exhausted(delivery.attempts())) {
        log.warn(
            "{} failed {} times, last with {}; dead-lettering it",
            delivery,
            delivery.attempts(),
            result.describe());
        deadLetter(delivery, WebhookFailure.RETRIES_EXHAUSTED, true);
      } else {
        Duration wait =
            retry.backoff(
                delivery.attempts(),
                ((AttemptResult.Retryable) result).retryAfter(),
                bound -> ThreadLocalRandom.current().nextLong(Math.max(1, bound)));
        log.info(
            "{} failed with {} (attempt {}); retrying in {} ms",
            delivery,
            result.describe(),
            delivery.attempts(),
            wait.toMillis());
        services.metrics().retry(endpointId);
        queue.backOff(delivery).forEach(this::send);
        services
            .thread()
            .schedule(
                () -> queue.retryDue(delivery).forEach(this::send),
                wait.toMillis(),
                TimeUnit.MILLISECONDS);
      }
    }
  }

  /**
   * Publishes the dead letter; once the broker has it, the delivery leaves its queue (if it is
   * queued) and is settled. A failed publish is tried again, so nothing is lost while the broker is
   * away: the head keeps its call's later events back meanwhile.
   */
  private void deadLetter(Delivery delivery, WebhookFailure reason, boolean queued) {
    services
        .deadLetters()
        .publish(delivery, reason, services.clock().instant())
        .whenComplete(
            (ok, error) ->
                execute(
                    () -> {
                      String endpointId = delivery.endpoint().id();
                      if (error != null) {
                        services.metrics().deadLetterFailed();
                        log.error(
                            "Could not dead-letter {} ({}); trying again in {} ms",
                            delivery,
                            error.toString(),
                            DEAD_LETTER_RETRY.toMillis());
                        services
                            .thread()
                            .schedule(
                                () -> deadLetter(delivery, reason, queued),
                                DEAD_LETTER_RETRY.toMillis(),
                                TimeUnit.MILLISECONDS);
                        return;
                      }
                      services
                          .metrics()
                          .deadLettered(endpointId, reason.name().toLowerCase(Locale.ROOT));
                      if (queued) {
                        queues.get(endpointId).finished(delivery).forEach(this::send);
                        updateGauge(endpointId);
                      }
                      if (!delivery.cancelled()) {
                        settled.accept(delivery);
                      }
                    }));
  }

  private void execute(Runnable task) {
    try {
      services.thread().execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closing: what was in flight is redelivered by the partition's next owner.
    }
  }

  private void updateGauge(String endpointId) {
    pendingGauges.get(endpointId).set(queues.get(endpointId).size());
  }

  private static String outcome(AttemptResult result) {
    if (result.status().isEmpty()) {
      return result.describe().startsWith("timeout") ? "timeout" : "error";
    }
    int status = result.status().getAsInt();
    if (status == 408 || status == 429) {
      return String.valueOf(status);
    }
    return (status / 100) + "xx";
  }

  @Override
  public void close() {
    services.thread().shutdownNow();
  }
}

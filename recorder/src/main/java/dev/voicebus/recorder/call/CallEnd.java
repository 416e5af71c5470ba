package dev.voicebus.recorder.call;

import dev.voicebus.avro.CallEnded;
import java.time.Instant;
import java.util.Optional;

/**
 * How a call ended, from its {@code CallEnded}: the reason (as the contract names it), the detail,
 * when, where a transfer sent the caller, and the seq of the last caller frame ingest published.
 */
public record CallEnd(
    String reason,
    Optional<String> detail,
    Instant endedAt,
    Optional<String> transferTarget,
    long lastSeq) {

  public static CallEnd of(CallEnded ended) {
    return new CallEnd(
        ended.getReason().name(),
        Optional.ofNullable(ended.getDetail()),
        ended.getEndedAt(),
        Optional.ofNullable(ended.getTransferTarget()),
        ended.getLastSeq());
  }
}

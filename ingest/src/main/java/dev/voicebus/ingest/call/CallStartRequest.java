package dev.voicebus.ingest.call;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallSource;
import java.util.Map;
import java.util.Optional;

/** What a protocol handler learned about a new call before it is admitted and announced. */
public record CallStartRequest(
    CallSource source,
    AudioCodec codec,
    Optional<String> agentProfile,
    Optional<String> tenantId,
    Optional<String> externalCallId,
    Map<String, String> metadata) {

  public CallStartRequest {
    metadata = Map.copyOf(metadata);
  }
}

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

  /** This request with the tenant and profile its credential entitles it to. */
  public CallStartRequest entitled(String tenant, String profile) {
    return new CallStartRequest(
        source, codec, Optional.of(profile), Optional.of(tenant), externalCallId, metadata);
  }

  /** The tenant, once {@link #entitled}. */
  public String tenant() {
    return tenantId.orElseThrow(() -> new IllegalStateException("call start not entitled yet"));
  }
}

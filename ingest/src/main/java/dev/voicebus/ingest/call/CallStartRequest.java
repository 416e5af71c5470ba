package dev.voicebus.ingest.call;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a protocol handler learned about a new call before it is admitted and announced; {@code
 * callId} is set when the call's id was given out before its stream arrived (an outbound call, a
 * call admitted by a stream token), else the call gets a new one.
 */
public record CallStartRequest(
    CallSource source,
    AudioCodec codec,
    Optional<String> agentProfile,
    Optional<String> tenantId,
    Optional<String> externalCallId,
    Map<String, String> metadata,
    Optional<String> callId) {

  public CallStartRequest {
    metadata = Map.copyOf(metadata);
  }

  /** A call that gets a new call id when it starts. */
  public CallStartRequest(
      CallSource source,
      AudioCodec codec,
      Optional<String> agentProfile,
      Optional<String> tenantId,
      Optional<String> externalCallId,
      Map<String, String> metadata) {
    this(source, codec, agentProfile, tenantId, externalCallId, metadata, Optional.empty());
  }

  /** This request with the tenant and profile its credential entitles it to. */
  public CallStartRequest entitled(String tenant, String profile) {
    return new CallStartRequest(
        source, codec, Optional.of(profile), Optional.of(tenant), externalCallId, metadata, callId);
  }

  /**
   * This request as a stream token admitted it: its call id, tenant and profile, and the token's
   * metadata added to the call's own.
   */
  public CallStartRequest admitted(
      String id, String tenant, String profile, Map<String, String> tokenMetadata) {
    Map<String, String> merged = new HashMap<>(metadata);
    merged.putAll(tokenMetadata);
    return new CallStartRequest(
        source,
        codec,
        Optional.of(profile),
        Optional.of(tenant),
        externalCallId,
        merged,
        Optional.of(id));
  }

  /** The tenant, once {@link #entitled}. */
  public String tenant() {
    return tenantId.orElseThrow(() -> new IllegalStateException("call start not entitled yet"));
  }
}

package dev.voicebus.ingest.http;

import dev.voicebus.avro.CallSource;
import dev.voicebus.ingest.audio.AudioFormats;
import dev.voicebus.ingest.call.CallStartRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The query parameters of an upload: codec (required), agentProfile, tenantId, externalCallId,
 * meta.*.
 */
final class UploadRequest {

  private UploadRequest() {}

  static Optional<String> validate(String uri) {
    String codec = first(new QueryStringDecoder(uri).parameters(), "codec").orElse(null);
    if (codec == null) {
      return Optional.of("query parameter codec is required: pcm16, pcmu or pcma");
    }
    if (AudioFormats.parse(codec).isEmpty()) {
      return Optional.of("unsupported codec '" + codec + "': use pcm16, pcmu or pcma");
    }
    return Optional.empty();
  }

  static CallStartRequest parse(String uri) {
    Map<String, List<String>> params = new QueryStringDecoder(uri).parameters();
    Map<String, String> metadata = new HashMap<>();
    params.forEach(
        (k, v) -> {
          if (k.startsWith("meta.") && k.length() > 5 && !v.isEmpty()) {
            metadata.put(k.substring(5), v.get(0));
          }
        });
    return new CallStartRequest(
        CallSource.HTTP,
        AudioFormats.parse(first(params, "codec").orElseThrow()).orElseThrow(),
        first(params, "agentProfile"),
        first(params, "tenantId"),
        first(params, "externalCallId"),
        metadata);
  }

  private static Optional<String> first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() || values.get(0).isEmpty()
        ? Optional.empty()
        : Optional.of(values.get(0));
  }
}

package dev.voicebus.recorder.storage;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach an S3-compatible bucket: the bucket, a key prefix ({@code ""} or ending in {@code
 * /}), the endpoint (AWS's for the region when empty; MinIO, Ceph, R2 and the like otherwise), the
 * region, path-style addressing, and static credentials (else the AWS SDK's default chain:
 * environment, profile, web identity, container or instance role). The secret never appears in
 * {@link #toString()}.
 */
public record S3Settings(
    String bucket,
    String prefix,
    Optional<URI> endpoint,
    String region,
    boolean pathStyle,
    Optional<Credentials> credentials) {

  /** An access key: id and secret. */
  public record Credentials(String accessKeyId, String secretAccessKey) {
    @Override
    public String toString() {
      return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
    }
  }
}

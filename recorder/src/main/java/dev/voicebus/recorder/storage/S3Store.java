package dev.voicebus.recorder.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Recordings in S3-compatible object storage with the AWS SDK v2 S3 client: {@code
 * s3://{bucket}/{prefix}{tenant}/{yyyy}/{mm}/{dd}/{callId}.wav} and {@code .json}. Checksums are
 * sent and checked only where S3 requires them, so stores that predate S3's default integrity
 * checksums (older MinIO and Ceph) accept the uploads. Retention lists the prefix and deletes by
 * the objects' last-modified time; a bucket lifecycle rule can do the same on the server.
 */
public final class S3Store implements RecordingStore {

  private final S3Settings settings;
  private final S3Client s3;

  public S3Store(S3Settings settings) {
    this.settings = settings;
    var builder =
        S3Client.builder()
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60))
                    .build())
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials(settings))
            .forcePathStyle(settings.pathStyle())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    settings.endpoint().ifPresent(builder::endpointOverride);
    this.s3 = builder.build();
  }

  private static AwsCredentialsProvider credentials(S3Settings settings) {
    return settings
        .credentials()
        .<AwsCredentialsProvider>map(
            c ->
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())))
        .orElseGet(() -> DefaultCredentialsProvider.builder().build());
  }

  @Override
  public URI store(RecordingKey key, Path wav, Path sidecar) throws IOException {
    try {
      put(key.json(), sidecar, "application/json");
      put(key.wav(), wav, "audio/wav");
    } catch (SdkException e) {
      throw new IOException(
          "S3 refused the recording " + location(key.wav()) + ": " + e.getMessage(), e);
    }
    return location(key.wav());
  }

  private void put(String key, Path file, String contentType) {
    s3.putObject(
        r -> r.bucket(settings.bucket()).key(settings.prefix() + key).contentType(contentType),
        RequestBody.fromFile(file));
  }

  @Override
  public boolean exists(RecordingKey key) throws IOException {
    try {
      s3.headObject(r -> r.bucket(settings.bucket()).key(settings.prefix() + key.wav()));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw new IOException("S3 HEAD " + location(key.wav()) + " failed: " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("S3 HEAD " + location(key.wav()) + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public int deleteOlderThan(Instant cutoff) throws IOException {
    int deleted = 0;
    try {
      var pages =
          s3.listObjectsV2Paginator(r -> r.bucket(settings.bucket()).prefix(settings.prefix()));
      for (S3Object object : pages.contents()) {
        String name = object.key();
        boolean recording = name.endsWith(".wav") || name.endsWith(".json");
        if (recording && object.lastModified().isBefore(cutoff)) {
          s3.deleteObject(r -> r.bucket(settings.bucket()).key(name));
          deleted++;
        }
      }
    } catch (SdkException e) {
      throw new IOException(
          "S3 retention sweep of " + location("") + " failed: " + e.getMessage(), e);
    }
    return deleted;
  }

  private URI location(String key) {
    return URI.create("s3://" + settings.bucket() + "/" + settings.prefix() + key);
  }

  @Override
  public String describe() {
    return "S3 "
        + location("")
        + settings.endpoint().map(e -> " at " + e).orElse("")
        + " (region "
        + settings.region()
        + (settings.pathStyle() ? ", path-style" : "")
        + ")";
  }

  @Override
  public void close() {
    s3.close();
  }
}

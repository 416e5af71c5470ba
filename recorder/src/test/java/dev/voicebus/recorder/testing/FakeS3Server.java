package dev.voicebus.recorder.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A small S3-compatible server on a loopback socket, for tests of the S3 store through the real AWS
 * SDK client. No S3 server that runs in-process was available from Maven Central without a
 * framework (Spring Boot, jclouds) whose dependencies would not converge with this build's, so this
 * one implements what the recorder uses, path-style: PUT, GET and HEAD of objects, DELETE, and
 * ListObjectsV2. Every request must carry an AWS Signature V4 {@code Authorization} header for the
 * configured key, region and service {@code s3}, and the signature is recomputed and checked (over
 * the headers and the {@code x-amz-content-sha256} value the client sent; for {@code aws-chunked}
 * bodies the chunk signatures are not checked, and the body is decoded). Requests for another
 * bucket get 404. Faults can be injected: the next N PUTs answer 503.
 */
public final class FakeS3Server implements AutoCloseable {

  /** A request as received: method, path, and whether its signature checked out. */
  public record Request(String method, String path, boolean signed) {}

  private record StoredObject(byte[] bytes, Instant lastModified) {}

  private final HttpServer server;
  private final String bucket;
  private final String accessKeyId;
  private final String secretKey;
  private final String region;
  private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger failingPuts = new AtomicInteger();

  public FakeS3Server(String bucket, String accessKeyId, String secretKey, String region)
      throws IOException {
    this.bucket = bucket;
    this.accessKeyId = accessKeyId;
    this.secretKey = secretKey;
    this.region = region;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The next {@code n} PUTs answer 503 Slow Down. */
  public void failNextPuts(int n) {
    failingPuts.set(n);
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public Map<String, byte[]> objects() {
    Map<String, byte[]> copy = new TreeMap<>();
    objects.forEach((k, v) -> copy.put(k, v.bytes()));
    return copy;
  }

  /** Makes {@code key} look written at {@code when} (for retention tests). */
  public void backdate(String key, Instant when) {
    objects.computeIfPresent(key, (k, v) -> new StoredObject(v.bytes(), when));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String rawPath = exchange.getRequestURI().getRawPath();
      boolean signed = verify(exchange, rawPath);
      requests.add(new Request(exchange.getRequestMethod(), rawPath, signed));
      if (!signed) {
        reply(exchange, 403, error("SignatureDoesNotMatch"));
        return;
      }
      String prefix = "/" + bucket;
      if (!rawPath.equals(prefix) && !rawPath.startsWith(prefix + "/")) {
        reply(exchange, 404, error("NoSuchBucket"));
        return;
      }
      String key =
          rawPath.length() > prefix.length() + 1
              ? decode(rawPath.substring(prefix.length() + 1))
              : "";
      switch (exchange.getRequestMethod()) {
        case "PUT" -> put(exchange, key, body);
        case "GET" -> get(exchange, key);
        case "HEAD" -> head(exchange, key);
        case "DELETE" -> {
          objects.remove(key);
          exchange.sendResponseHeaders(204, -1);
        }
        default -> reply(exchange, 405, error("MethodNotAllowed"));
      }
    }
  }

  private void put(HttpExchange exchange, String key, byte[] body) throws IOException {
    if (failingPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      reply(exchange, 503, error("SlowDown"));
      return;
    }
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    byte[] content = encoding != null && encoding.contains("aws-chunked") ? unchunk(body) : body;
    objects.put(key, new StoredObject(content, Instant.now()));
    exchange
        .getResponseHeaders()
        .add("ETag", "\"" + HexFormat.of().formatHex(sha256(content)) + "\"");
    exchange.sendResponseHeaders(200, -1);
  }

  private void get(HttpExchange exchange, String key) throws IOException {
    if (key.isEmpty()) {
      list(exchange);
      return;
    }
    StoredObject object = objects.get(key);
    if (object == null) {
      reply(exchange, 404, error("NoSuchKey"));
      return;
    }
    exchange.sendResponseHeaders(200, object.bytes().length);
    exchange.getResponseBody().write(object.bytes());
  }

  private void head(HttpExchange exchange, String key) throws IOException {
    StoredObject object = objects.get(key);
    if (object == null) {
      exchange.sendResponseHeaders(404, -1);
      return;
    }
    exchange.getResponseHeaders().add("Content-Length", String.valueOf(object.bytes().length));
    exchange.sendResponseHeaders(200, -1);
  }

  private void list(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String prefix = query.getOrDefault("prefix", "");
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    xml.append("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    xml.append("<Name>")
        .append(bucket)
        .append("</Name><Prefix>")
        .append(prefix)
        .append("</Prefix>");
    int count = 0;
    for (var entry : new TreeMap<>(objects).entrySet()) {
      if (entry.getKey().startsWith(prefix)) {
        count++;
        xml.append("<Contents><Key>")
            .append(entry.getKey())
            .append("</Key><LastModified>")
            .append(entry.getValue().lastModified())
            .append("</LastModified><Size>")
            .append(entry.getValue().bytes().length)
            .append("</Size></Contents>");
      }
    }
    xml.append("<KeyCount>").append(count).append("</KeyCount><IsTruncated>false</IsTruncated>");
    xml.append("</ListBucketResult>");
    reply(exchange, 200, xml.toString());
  }

  /** Recomputes the request's SigV4 signature with the configured secret. */
  private boolean verify(HttpExchange exchange, String rawPath) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
    String payloadHash = exchange.getRequestHeaders().getFirst("X-Amz-Content-Sha256");
    if (authorization == null
        || amzDate == null
        || payloadHash == null
        || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
      return false;
    }
    Map<String, String> parts = new TreeMap<>();
    for (String part : authorization.substring("AWS4-HMAC-SHA256 ".length()).split(",\\s*")) {
      int eq = part.indexOf('=');
      parts.put(part.substring(0, eq), part.substring(eq + 1));
    }
    String[] scope = parts.getOrDefault("Credential", "").split("/");
    if (scope.length != 5
        || !scope[0].equals(accessKeyId)
        || !scope[2].equals(region)
        || !scope[3].equals("s3")
        || !scope[4].equals("aws4_request")) {
      return false;
    }
    String signedHeaders = parts.get("SignedHeaders");
    StringBuilder canonicalHeaders = new StringBuilder();
    for (String name : signedHeaders.split(";")) {
      List<String> values = exchange.getRequestHeaders().get(name);
      if (values == null) {
        return false;
      }
      canonicalHeaders
          .append(name)
          .append(':')
          .append(
              String.join(",", values.stream().map(v -> v.trim().replaceAll(" +", " ")).toList()))
          .append('\n');
    }
    String rawQuery = exchange.getRequestURI().getRawQuery();
    List<String> pairs = new ArrayList<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        pairs.add(pair.contains("=") ? pair : pair + "=");
      }
    }
    pairs.sort(null);
    String canonicalRequest =
        exchange.getRequestMethod()
            + "\n"
            + rawPath
            + "\n"
            + String.join("&", pairs)
            + "\n"
            + canonicalHeaders
            + "\n"
            + signedHeaders
            + "\n"
            + payloadHash;
    String scopeText = scope[1] + "/" + scope[2] + "/" + scope[3] + "/" + scope[4];
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scopeText
            + "\n"
            + HexFormat.of().formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), scope[1]);
    key = hmac(key, scope[2]);
    key = hmac(key, scope[3]);
    key = hmac(key, scope[4]);
    String expected = HexFormat.of().formatHex(hmac(key, stringToSign));
    return expected.equals(parts.get("Signature"));
  }

  /** Decodes an {@code aws-chunked} body: {@code hex-size[;chunk-signature=...]\r\n data \r\n}. */
  private static byte[] unchunk(byte[] body) {
    var out = new ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int lineEnd = indexOf(body, at);
      String header = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
      int size = Integer.parseInt(header.split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(body, lineEnd + 2, size);
      at = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] body, int from) {
    for (int i = from; i < body.length - 1; i++) {
      if (body[i] == '\r' && body[i + 1] == '\n') {
        return i;
      }
    }
    return body.length;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new TreeMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        query.put(
            decode(eq < 0 ? pair : pair.substring(0, eq)),
            eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return query;
  }

  private static String decode(String encoded) {
    return java.net.URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String error(String code) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
        + code
        + "</Code><Message>"
        + code
        + "</Message></Error>";
  }

  private static void reply(HttpExchange exchange, int status, String xml) throws IOException {
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/xml");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

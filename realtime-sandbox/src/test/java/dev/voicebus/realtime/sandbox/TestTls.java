package dev.voicebus.realtime.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates a throwaway self-signed certificate for 127.0.0.1 with the JDK's keytool, for tests that
 * need {@code wss://} (the OpenAI SDKs always connect with TLS). The PEM is the client's trust
 * anchor, so certificate verification stays on.
 */
public final class TestTls {
  private static final String PASSWORD = "sandbox-test";

  private TestTls() {}

  /**
   * Key store and matching certificate PEM.
   *
   * @param settings sandbox TLS settings
   * @param certificatePem trust anchor for clients
   */
  public record Material(TlsSettings settings, Path certificatePem) {}

  public static Material create(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path p12 = dir.resolve("sandbox.p12");
    Path pem = dir.resolve("sandbox-cert.pem");
    Files.deleteIfExists(p12);
    Files.deleteIfExists(pem);
    keytool(
        "-genkeypair",
        "-alias",
        "sandbox",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-keystore",
        p12.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD,
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "sandbox",
        "-keystore",
        p12.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        pem.toString());
    return new Material(new TlsSettings(p12, PASSWORD.toCharArray()), pem);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + String.join(" ", cmd) + "\n" + out);
    }
  }
}

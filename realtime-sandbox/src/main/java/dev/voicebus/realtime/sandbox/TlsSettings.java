package dev.voicebus.realtime.sandbox;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

/**
 * TLS for the sandbox ({@code wss://}), from a PKCS#12 key store. Needed for clients that always
 * use {@code wss}, such as the OpenAI SDKs, which derive the Realtime URL from {@code baseURL} and
 * force the secure scheme. The password never appears in {@link #toString()}.
 *
 * @param pkcs12 key store file with one private key entry and its certificate chain
 * @param password key store (and key) password
 */
public record TlsSettings(Path pkcs12, char[] password) {
  public TlsSettings {
    Objects.requireNonNull(pkcs12, "pkcs12");
    Objects.requireNonNull(password, "password");
    if (!Files.isReadable(pkcs12)) {
      throw new IllegalArgumentException("TLS key store " + pkcs12 + " is not a readable file");
    }
  }

  /** Builds the Netty server SSL context. */
  SslContext sslContext() {
    try (InputStream in = Files.newInputStream(pkcs12)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password);
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      return SslContextBuilder.forServer(kmf).build();
    } catch (SSLException e) {
      throw new IllegalStateException("Cannot build TLS context from " + pkcs12, e);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "Cannot load PKCS#12 key store " + pkcs12 + " (wrong password or format?)", e);
    }
  }

  @Override
  public String toString() {
    return "TlsSettings[pkcs12=" + pkcs12 + ", password=****]";
  }
}

package dev.voicebus.schemas.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Bearer tokens and what each entitles its holder to, as read from a tokens file ({@code
 * {"tokens":[{"token":"...","tenant":"acme","profiles":["support"],"maxConcurrentCalls":50}]}}) or
 * made from a single shared token. Ingest reads it for {@code /v1/*}; any service with an API (the
 * analytics query API) can read the same file. Only SHA-256 digests of the tokens are kept, a
 * presented token is compared with every entry in constant time, and {@code toString} shows counts
 * and tenants only.
 */
public final class TokenFile {

  /** The shortest token a tokens file may hold: anything shorter is guessable. */
  public static final int MIN_TOKEN_LENGTH = 16;

  /** No tokens: every bearer token is refused. */
  public static final TokenFile NONE = new TokenFile(List.of());

  private record Entry(byte[] digest, TenantGrant grant) {}

  private final List<Entry> entries;

  private TokenFile(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Reads the tokens file {@code path} given by setting {@code key}; fails naming both. */
  public static TokenFile load(String key, Path path) {
    return from(CredentialFile.read(key, path, "tokens", Set.of("token")));
  }

  /** A tokens file's JSON text; {@code key} names the setting in messages. */
  public static TokenFile parse(String key, String json) {
    return from(CredentialFile.parse(key + " is invalid: ", json, "tokens", Set.of("token")));
  }

  private static TokenFile from(List<CredentialFile.Entry> parsed) {
    List<Entry> entries = new ArrayList<>();
    for (CredentialFile.Entry entry : parsed) {
      String token = entry.text("token");
      if (token.length() < MIN_TOKEN_LENGTH) {
        throw entry.invalid(
            "token is too short: use at least " + MIN_TOKEN_LENGTH + " random characters");
      }
      byte[] digest = digest(token);
      for (int i = 0; i < entries.size(); i++) {
        if (MessageDigest.isEqual(entries.get(i).digest(), digest)) {
          throw entry.invalid("token repeats the token of tokens[" + i + "]");
        }
      }
      entries.add(new Entry(digest, entry.grant()));
    }
    return new TokenFile(entries);
  }

  /** One shared token with its grant (the single-token shortcut, e.g. {@code ingest.api-token}). */
  public static TokenFile of(String token, TenantGrant grant) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("a token must not be blank");
    }
    return new TokenFile(List.of(new Entry(digest(token), grant)));
  }

  /**
   * These tokens and {@code other}'s; fails with {@code what} in the message when a token is in
   * both.
   */
  public TokenFile and(TokenFile other, String what) {
    for (Entry mine : entries) {
      for (Entry theirs : other.entries) {
        if (MessageDigest.isEqual(mine.digest(), theirs.digest())) {
          throw new IllegalArgumentException(what + ": the same token is given twice");
        }
      }
    }
    List<Entry> all = new ArrayList<>(entries);
    all.addAll(other.entries);
    return new TokenFile(all);
  }

  /**
   * The grant of {@code presented}, or empty when it is no token of this file. Every entry is
   * compared, in constant time, whatever matches.
   */
  public Optional<TenantGrant> authenticate(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = digest(presented);
    TenantGrant found = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.digest(), digest) && found == null) {
        found = entry.grant();
      }
    }
    return Optional.ofNullable(found);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  /** The grants of these tokens, in file order (never the tokens). */
  public List<TenantGrant> grants() {
    return entries.stream().map(Entry::grant).toList();
  }

  /** The tenants these tokens belong to. */
  public Set<String> tenants() {
    Set<String> tenants = new TreeSet<>();
    entries.forEach(e -> tenants.add(e.grant().tenant()));
    return tenants;
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "TokenFile[" + entries.size() + " tokens, tenants=" + tenants() + "]";
  }
}

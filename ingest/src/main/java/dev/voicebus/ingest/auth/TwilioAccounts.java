package dev.voicebus.ingest.auth;

import dev.voicebus.ingest.config.Secret;
import dev.voicebus.schemas.auth.CredentialFile;
import dev.voicebus.schemas.auth.TenantGrant;
import dev.voicebus.telephony.twilio.TwilioSignature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The Twilio accounts whose Media Streams this node accepts, each with its auth token (which signs
 * the stream's upgrade request) and what its calls are entitled to. Either the single {@code
 * ingest.twilio.auth-token} (optionally pinned to {@code ingest.twilio.account-sid}) or the list in
 * {@code ingest.twilio.accounts-file}: {@code {"accounts":[{"accountSid":"AC...","authToken":"...",
 * "tenant":"acme","profiles":["support"],"maxConcurrentCalls":50}]}}, or both.
 */
public final class TwilioAccounts {

  /** No account: the Twilio endpoint refuses everything. */
  public static final TwilioAccounts NONE = new TwilioAccounts(List.of());

  /**
   * One account: its SID (empty only for the single-token shortcut without {@code
   * ingest.twilio.account-sid}, where any account signing with the token is accepted).
   */
  public record Account(Optional<String> accountSid, Secret authToken, TenantGrant grant) {

    /** Whether a stream whose {@code start.accountSid} is {@code presented} belongs here. */
    public boolean owns(String presented) {
      return accountSid.map(sid -> sid.equals(presented)).orElse(true);
    }
  }

  private final List<Account> accounts;

  private TwilioAccounts(List<Account> accounts) {
    this.accounts = List.copyOf(accounts);
  }

  public static TwilioAccounts single(
      Optional<String> accountSid, Secret authToken, TenantGrant grant) {
    return new TwilioAccounts(List.of(new Account(accountSid, authToken, grant)));
  }

  /** Reads the accounts file {@code path} given by setting {@code key}; fails naming both. */
  public static TwilioAccounts load(String key, Path path) {
    List<Account> accounts = new ArrayList<>();
    for (var entry :
        CredentialFile.read(key, path, "accounts", Set.of("accountSid", "authToken"))) {
      String sid = entry.text("accountSid");
      if (!sid.startsWith("AC")) {
        throw entry.invalid("accountSid '" + sid + "' is not a Twilio account SID (AC...)");
      }
      var account =
          new Account(Optional.of(sid), new Secret(entry.text("authToken")), entry.grant());
      new TwilioAccounts(accounts).requireDistinct(account, entry::invalid);
      accounts.add(account);
    }
    return new TwilioAccounts(accounts);
  }

  /** Fails unless {@code sid} looks like a Twilio account SID. */
  public static void requireAccountSid(String sid) {
    if (!sid.startsWith("AC")) {
      throw new IllegalArgumentException(
          "ingest.twilio.account-sid='" + sid + "' is invalid: use a Twilio account SID (AC...)");
    }
  }

  /** These accounts and {@code other}'s; fails with {@code what} if an account or token repeats. */
  public TwilioAccounts and(TwilioAccounts other, String what) {
    List<Account> all = new ArrayList<>(accounts);
    for (Account account : other.accounts) {
      new TwilioAccounts(all)
          .requireDistinct(account, p -> new IllegalArgumentException(what + ": " + p));
      all.add(account);
    }
    return new TwilioAccounts(all);
  }

  private void requireDistinct(
      Account account, Function<String, IllegalArgumentException> failure) {
    for (Account existing : accounts) {
      if (existing.accountSid().isPresent() && existing.accountSid().equals(account.accountSid())) {
        throw failure.apply("accountSid " + account.accountSid().get() + " is listed twice");
      }
      if (existing.authToken().matches(account.authToken().reveal())) {
        throw failure.apply("authToken is the auth token of another account");
      }
    }
  }

  /** Whether some account serves {@code tenant} and may use {@code profile}. */
  public boolean allows(String tenant, String profile) {
    return accounts.stream()
        .anyMatch(a -> a.grant().tenant().equals(tenant) && a.grant().allowsProfile(profile));
  }

  /** The first account of {@code tenant} whose SID is known (it can place calls), if any. */
  public Optional<Account> placingCallsFor(String tenant) {
    return accounts.stream()
        .filter(a -> a.grant().tenant().equals(tenant) && a.accountSid().isPresent())
        .findFirst();
  }

  public boolean isEmpty() {
    return accounts.isEmpty();
  }

  /** The grants of these accounts, in order. */
  public List<TenantGrant> grants() {
    return accounts.stream().map(Account::grant).toList();
  }

  /**
   * The account whose auth token produced {@code signature} over {@code url} (with or without its
   * default port) and the form {@code params} of a POST (none for an upgrade), if any. Every
   * account's signature is computed and compared in constant time.
   */
  public Optional<Account> signedBy(
      String url, Map<String, List<String>> params, String signature) {
    Account found = null;
    for (Account account : accounts) {
      if (TwilioSignature.verifyAnyPort(account.authToken().reveal(), url, params, signature)
          && found == null) {
        found = account;
      }
    }
    return Optional.ofNullable(found);
  }

  @Override
  public String toString() {
    List<String> shown = new ArrayList<>();
    accounts.forEach(
        a -> shown.add(a.accountSid().orElse("any account") + "->" + a.grant().tenant()));
    return "TwilioAccounts" + shown;
  }
}

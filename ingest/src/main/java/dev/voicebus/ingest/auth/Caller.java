package dev.voicebus.ingest.auth;

import dev.voicebus.ingest.call.CallStartRequest;
import dev.voicebus.ingest.twilio.voice.StreamToken;
import dev.voicebus.schemas.auth.TenantGrant;
import java.util.Optional;

/**
 * Who opened a connection, as its credential proves: what it is entitled to, for a Twilio stream
 * the account whose auth token signed the upgrade, and the stream token it presented (when the
 * voice webhook is on). The tenant of every call comes from here; what the client writes in its
 * start message can only narrow it down, never widen it.
 */
public record Caller(
    TenantGrant grant,
    Optional<TwilioAccounts.Account> twilioAccount,
    Optional<StreamToken> streamToken) {

  /** The outcome of checking a call's start against the credential. */
  public sealed interface Entitlement permits Granted, Refused {}

  /** The call may start, as {@code request} (tenant and profile filled in). */
  public record Granted(CallStartRequest request) implements Entitlement {}

  /** The call may not start, for {@code reason} (told to the client). */
  public record Refused(String reason) implements Entitlement {}

  public static Caller bearer(TenantGrant grant) {
    return new Caller(grant, Optional.empty(), Optional.empty());
  }

  public static Caller twilio(TwilioAccounts.Account account) {
    return new Caller(account.grant(), Optional.of(account), Optional.empty());
  }

  /** A Twilio stream admitted by {@code token}, issued for a call of {@code account}. */
  public static Caller twilio(TwilioAccounts.Account account, StreamToken token) {
    return new Caller(account.grant(), Optional.of(account), Optional.of(token));
  }

  /**
   * Checks a Twilio {@code start.accountSid} against the account that signed the stream; empty when
   * it matches.
   */
  public Optional<String> checkAccount(String accountSid) {
    if (twilioAccount.isEmpty() || twilioAccount.get().owns(accountSid)) {
      return Optional.empty();
    }
    return Optional.of(
        "start.accountSid '"
            + clip(accountSid)
            + "' is not the account this stream was signed for");
  }

  /**
   * Checks a Twilio {@code start.callSid} against the stream token, if one admitted the stream;
   * empty when it is the call the token was issued for (or no token was needed).
   */
  public Optional<String> checkCallSid(String callSid) {
    return streamToken.flatMap(token -> token.checkCallSid(callSid));
  }

  /**
   * The call {@code request} asks for, with the credential's tenant and an allowed profile ({@code
   * defaultProfile} when none is named and the grant allows it, else the grant's first), or why it
   * is refused: a {@code tenantId} other than the credential's, or a profile the grant does not
   * list.
   */
  public Entitlement entitle(CallStartRequest request, String defaultProfile) {
    String tenant = grant.tenant();
    if (request.tenantId().isPresent() && !request.tenantId().get().equals(tenant)) {
      return new Refused(
          "tenantId '"
              + clip(request.tenantId().get())
              + "' is not allowed: this credential is for tenant "
              + tenant);
    }
    Optional<String> profile = grant.profileFor(request.agentProfile(), defaultProfile);
    if (profile.isEmpty()) {
      return new Refused(
          "agentProfile '"
              + clip(request.agentProfile().orElse(""))
              + "' is not allowed for tenant "
              + tenant);
    }
    return new Granted(request.entitled(tenant, profile.get()));
  }

  private static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}

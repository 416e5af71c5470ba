package dev.voicebus.ingest.sip;

import dev.voicebus.ingest.call.CallRegistry;
import dev.voicebus.ingest.config.IngestConfig;
import dev.voicebus.realtime.client.RealtimeCalls;
import dev.voicebus.realtime.client.RealtimeClientConfig;
import dev.voicebus.realtime.webhook.WebhookVerifier;
import dev.voicebus.schemas.auth.TenantGrant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the OpenAI webhook endpoint of one node shares: the signature verifier, the routes, OpenAI's
 * calls API (to reject calls), the tenants' caps, the ledger of admitted SIP calls, and the memory
 * of webhook and call ids seen lately.
 */
public final class SipServices {

  /** How many webhook ids and call ids a node remembers, each. */
  static final int REMEMBERED_IDS = 20_000;

  private final WebhookVerifier verifier;
  private final SipRoutes routes;
  private final RealtimeCalls calls;
  private final SipCallLedger ledger;
  private final TenantCaps caps;
  private final RecentIds webhookIds = new RecentIds(REMEMBERED_IDS);
  private final RecentIds callIds = new RecentIds(REMEMBERED_IDS);

  private SipServices(IngestConfig config, CallRegistry registry) {
    IngestConfig.Sip sip = config.sip();
    this.verifier = new WebhookVerifier(sip.webhookSecret().orElseThrow());
    this.routes = sip.routes();
    this.calls =
        new RealtimeCalls(
            RealtimeClientConfig.defaults(sip.apiKey().orElseThrow()).withBaseUri(sip.apiBase()),
            sip.apiTimeout());
    // A call's lease: the longest a call may last, plus slack for the worker to notice its end.
    this.ledger = new SipCallLedger(registry, config.limits().maxCallDuration().plusMinutes(5));
    List<TenantGrant> grants = new ArrayList<>(config.auth().bearer().grants());
    grants.addAll(config.auth().twilio().grants());
    this.caps = new TenantCaps(grants);
  }

  /** The services of {@code config}, or empty when the webhook is off. */
  public static Optional<SipServices> of(IngestConfig config, CallRegistry registry) {
    return config.sip().webhookSecret().isEmpty()
        ? Optional.empty()
        : Optional.of(new SipServices(config, registry));
  }

  public SipCallLedger ledger() {
    return ledger;
  }

  public RealtimeCalls calls() {
    return calls;
  }

  WebhookVerifier verifier() {
    return verifier;
  }

  SipRoutes routes() {
    return routes;
  }

  TenantCaps caps() {
    return caps;
  }

  RecentIds webhookIds() {
    return webhookIds;
  }

  RecentIds callIds() {
    return callIds;
  }
}

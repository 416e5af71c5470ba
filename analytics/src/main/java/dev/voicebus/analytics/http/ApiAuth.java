package dev.voicebus.analytics.http;

import com.sun.net.httpserver.HttpExchange;
import dev.voicebus.analytics.config.AnalyticsConfig.Access;

/**
 * Authenticates API requests by {@code Authorization: Bearer <token>}: a token of {@code
 * analytics.tokens-file} (the same file ingest reads) or {@code analytics.api-token} sees its
 * tenant only, {@code analytics.admin-token} sees every tenant. Missing: 401; unknown: 403; no
 * credential configured: 403 for everything.
 */
final class ApiAuth {

  private final Access access;

  ApiAuth(Access access) {
    this.access = access;
  }

  Principal authenticate(HttpExchange exchange) {
    if (!access.enabled()) {
      throw new HttpError(
          403,
          "the query API is disabled: set analytics.tokens-file, analytics.api-token or"
              + " analytics.admin-token");
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      throw new HttpError(401, "missing Authorization: Bearer token");
    }
    String token = header.substring(7).trim();
    if (access.adminToken().flatMap(admin -> admin.authenticate(token)).isPresent()) {
      return new Principal.Admin();
    }
    return access
        .tenantTokens()
        .authenticate(token)
        .<Principal>map(grant -> new Principal.Tenant(grant.tenant()))
        .orElseThrow(() -> new HttpError(403, "invalid bearer token"));
  }
}

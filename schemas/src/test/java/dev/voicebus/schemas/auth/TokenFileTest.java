package dev.voicebus.schemas.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

  private static final String ACME_TOKEN = "acme-0123456789abcdef";
  private static final String GLOBEX_TOKEN = "globex-0123456789abcdef";
  private static final String FILE =
      """
      {"tokens": [
        {"token": "%s", "tenant": "acme", "profiles": ["support", "sales"], "maxConcurrentCalls": 50},
        {"token": "%s", "tenant": "globex", "profiles": ["*"]}
      ]}
      """
          .formatted(ACME_TOKEN, GLOBEX_TOKEN);

  @Test
  void givesEachTokenItsTenantProfilesAndCap(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("tokens.json");
    Files.writeString(path, FILE);

    TokenFile tokens = TokenFile.load("ingest.tokens-file", path);

    TenantGrant acme = tokens.authenticate(ACME_TOKEN).orElseThrow();
    assertThat(acme.tenant()).isEqualTo("acme");
    assertThat(acme.profiles()).containsExactly("support", "sales");
    assertThat(acme.maxConcurrentCalls()).isEqualTo(OptionalInt.of(50));
    TenantGrant globex = tokens.authenticate(GLOBEX_TOKEN).orElseThrow();
    assertThat(globex.allowsProfile("anything")).isTrue();
    assertThat(globex.maxConcurrentCalls()).isEmpty();
    assertThat(tokens.authenticate("acme-0123456789abcdeX")).isEmpty();
    assertThat(tokens.authenticate("")).isEmpty();
    assertThat(tokens.authenticate(null)).isEmpty();
    assertThat(tokens.tenants()).containsExactly("acme", "globex");
  }

  @Test
  void keepsTokensOutOfToStringAndOutOfEveryMessage() {
    TokenFile tokens = TokenFile.parse("ingest.tokens-file", FILE);
    assertThat(tokens.toString())
        .isEqualTo("TokenFile[2 tokens, tenants=[acme, globex]]")
        .doesNotContain(ACME_TOKEN);

    String secret = "sk-very-secret-token-value";
    assertThatThrownBy(
            () ->
                TokenFile.parse("k", "{\"tokens\":[{\"token\":\"" + secret + "\", \"tenant\": }]}"))
        .hasMessageStartingWith("k is invalid: not valid JSON (line 1")
        .message()
        .doesNotContain(secret);
    assertThatThrownBy(
            () ->
                TokenFile.parse(
                    "k",
                    "{\"tokens\":[{\"token\":\""
                        + secret
                        + "\",\"tenant\":\"a\",\"profiles\":[\"*\"]},{\"token\":\""
                        + secret
                        + "\",\"tenant\":\"b\",\"profiles\":[\"*\"]}]}"))
        .hasMessage("k is invalid: tokens[1].token repeats the token of tokens[0]");
  }

  @Test
  void refusesEntriesThatWouldGrantMoreThanWasMeant() {
    assertThatThrownBy(() -> TokenFile.parse("k", "{\"tokens\":[{\"token\":\"short\"}]}"))
        .hasMessage(
            "k is invalid: tokens[0].token is too short: use at least 16 random characters");
    assertThatThrownBy(
            () ->
                TokenFile.parse(
                    "k", "{\"tokens\":[{\"token\":\"" + ACME_TOKEN + "\",\"tenant\":\"acme\"}]}"))
        .hasMessageContaining("tokens[0].profiles is required");
    assertThatThrownBy(
            () ->
                TokenFile.parse(
                    "k",
                    "{\"tokens\":[{\"token\":\""
                        + ACME_TOKEN
                        + "\",\"tenant\":\"acme\",\"profile\":[\"support\"]}]}"))
        .hasMessageContaining("tokens[0].profile is not a known field");
    assertThatThrownBy(
            () ->
                TokenFile.parse(
                    "k",
                    "{\"tokens\":[{\"token\":\""
                        + ACME_TOKEN
                        + "\",\"tenant\":\"acme\",\"profiles\":[\"*\"],\"maxConcurrentCalls\":0}]}"))
        .hasMessageContaining("tokens[0].maxConcurrentCalls must be a whole number of at least 1");
    assertThatThrownBy(() -> TokenFile.parse("k", "[]"))
        .hasMessage("k is invalid: expected a JSON object {\"tokens\": [...]}");
  }

  @Test
  void failsNamingTheSettingAndPathOfAnUnreadableFile(@TempDir Path dir) {
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> TokenFile.load("ingest.tokens-file", missing))
        .hasMessage(
            "ingest.tokens-file='"
                + missing
                + "' is invalid: cannot read the file (NoSuchFileException)");
  }

  @Test
  void aSharedTokenCombinesWithAFileButNeverTwice() {
    TokenFile shared = TokenFile.of("shared-token", TenantGrant.anyProfile("default"));
    TokenFile all = shared.and(TokenFile.parse("k", FILE), "ingest.api-token");
    assertThat(all.size()).isEqualTo(3);
    assertThat(all.authenticate("shared-token").map(TenantGrant::tenant)).contains("default");
    assertThatThrownBy(
            () ->
                TokenFile.of(ACME_TOKEN, TenantGrant.anyProfile("x"))
                    .and(TokenFile.parse("k", FILE), "ingest.api-token"))
        .hasMessage("ingest.api-token: the same token is given twice");
  }

  @Test
  void choosesTheProfileFromWhatTheGrantAllows() {
    var grant = new TenantGrant("acme", List.of("support", "sales"), OptionalInt.empty());
    assertThat(grant.profileFor(Optional.of("sales"), "default")).contains("sales");
    assertThat(grant.profileFor(Optional.of("billing"), "default")).isEmpty();
    assertThat(grant.profileFor(Optional.empty(), "default")).contains("support");
    assertThat(grant.profileFor(Optional.empty(), "sales")).contains("sales");
    assertThat(TenantGrant.anyProfile("t").profileFor(Optional.empty(), "default"))
        .contains("default");
  }
}

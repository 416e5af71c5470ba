package dev.voicebus.ingest.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoggedUriTest {

  @Test
  void hidesStreamTokensAndKeepsTheRest() {
    assertThat(LoggedUri.of("/twilio/media?token=abc-DEF_123"))
        .isEqualTo("/twilio/media?token=***");
    assertThat(LoggedUri.of("wss://h/twilio/media?x=1&token=abc&y=2"))
        .isEqualTo("wss://h/twilio/media?x=1&token=***&y=2");
    assertThat(LoggedUri.of("/v1/calls?codec=pcmu&mytoken=keep"))
        .isEqualTo("/v1/calls?codec=pcmu&mytoken=keep");
  }
}

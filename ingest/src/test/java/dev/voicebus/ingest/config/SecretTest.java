package dev.voicebus.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void secretNeverPrintsItsValue() {
    assertThat(new Secret("sk-very-secret").toString()).doesNotContain("very");
  }
}

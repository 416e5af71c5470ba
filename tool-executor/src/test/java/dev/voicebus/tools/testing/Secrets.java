package dev.voicebus.tools.testing;

import java.util.Arrays;
import java.util.Base64;

/** Standard Webhooks secrets for tests: {@code whsec_} and the base64 of 32 bytes of one value. */
public final class Secrets {

  private Secrets() {}

  public static String whsec(char fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }
}

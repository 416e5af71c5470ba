package dev.voicebus.realtime.sandbox.protocol;

import java.util.concurrent.ThreadLocalRandom;

/** Identifiers shaped like OpenAI's: a prefix such as {@code event_} plus 21 alphanumerics. */
public final class Ids {
  public static final String EVENT = "event_";
  public static final String SESSION = "sess_";
  public static final String CONVERSATION = "conv_";
  public static final String ITEM = "item_";
  public static final String RESPONSE = "resp_";
  public static final String CALL = "call_";

  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final int LENGTH = 21;

  private Ids() {}

  /** A fresh random id with {@code prefix}. */
  public static String next(String prefix) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] out = new char[prefix.length() + LENGTH];
    prefix.getChars(0, prefix.length(), out, 0);
    for (int i = prefix.length(); i < out.length; i++) {
      out[i] = ALPHABET[r.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }
}

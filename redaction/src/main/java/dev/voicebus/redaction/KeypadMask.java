package dev.voicebus.redaction;

/**
 * Masks keypad entries for profiles that mark keypad input sensitive: every digit becomes {@code
 * X}, other keys ({@code * # A-D}) and any surrounding text stay, so "The caller pressed 1 2 3 4 #"
 * becomes "The caller pressed X X X X #". Stateless.
 */
public final class KeypadMask {

  public static final char MASK = 'X';

  private KeypadMask() {}

  public static String mask(CharSequence keys) {
    if (keys == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder(keys.length());
    for (int i = 0; i < keys.length(); i++) {
      char c = keys.charAt(i);
      sb.append(c >= '0' && c <= '9' ? MASK : c);
    }
    return sb.toString();
  }
}

package dev.voicebus.analytics.assembly;

/** Text helpers for the document bound: clipping to a character limit and UTF-8 sizes. */
final class Texts {

  static final String ELLIPSIS = "…";

  private Texts() {}

  /** {@code text} cut to {@code max} characters (never inside a surrogate pair). */
  static String clip(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    int end = max - 1;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + ELLIPSIS;
  }

  static boolean clipped(String text, int max) {
    return text != null && text.length() > max;
  }

  /** The UTF-8 size of {@code text} in bytes, without encoding it. */
  static int utf8Bytes(CharSequence text) {
    if (text == null) {
      return 0;
    }
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isSurrogate(c)) {
        bytes += 2;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}

package dev.voicebus.ingest.server;

import java.util.regex.Pattern;

/**
 * A request URI as it may appear in logs and error messages: the value of a {@code token} query
 * parameter (a stream token, a secret for the one call it admits) replaced by {@code ***}.
 */
public final class LoggedUri {

  private static final Pattern TOKEN = Pattern.compile("([?&]token=)[^&#]*");

  private LoggedUri() {}

  public static String of(String uri) {
    return uri == null ? "null" : TOKEN.matcher(uri).replaceAll("$1***");
  }
}

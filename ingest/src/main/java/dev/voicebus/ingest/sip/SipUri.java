package dev.voicebus.ingest.sip;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The party a SIP {@code From} or {@code To} header names: the user part of its URI, which is the
 * phone number on a trunk. Reads {@code sip:+15551230000@host}, {@code "Alice"
 * <sip:+15551230000@host;user=phone>;tag=1928}, {@code <tel:+15551230000>} and {@code
 * sips:alice@host}; drops URI parameters, decodes {@code %2B}.
 */
final class SipUri {

  private static final int MAX_USER = 128;

  private SipUri() {}

  /** The user part, or empty when the value holds no sip:, sips: or tel: URI. */
  static Optional<String> user(String headerValue) {
    if (headerValue == null) {
      return Optional.empty();
    }
    String value = headerValue.strip();
    int open = value.indexOf('<');
    if (open >= 0) {
      int close = value.indexOf('>', open);
      value = close > open ? value.substring(open + 1, close) : value.substring(open + 1);
    }
    String lower = value.toLowerCase(Locale.ROOT);
    String rest;
    if (lower.startsWith("sips:")) {
      rest = value.substring(5);
    } else if (lower.startsWith("sip:") || lower.startsWith("tel:")) {
      rest = value.substring(4);
    } else {
      return Optional.empty();
    }
    int at = rest.indexOf('@');
    String user = at >= 0 ? rest.substring(0, at) : rest;
    int params = user.indexOf(';');
    if (params >= 0) {
      user = user.substring(0, params);
    }
    try {
      user = URLDecoder.decode(user.replace("+", "%2B"), StandardCharsets.UTF_8).strip();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (user.isEmpty() || user.length() > MAX_USER) {
      return Optional.empty();
    }
    return Optional.of(user);
  }
}

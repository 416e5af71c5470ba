package dev.voicebus.ingest.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Plain TCP clients for edge tests: connections from a chosen loopback address (127.0.0.x), and
 * reading what the server sends until it closes.
 */
public final class RawSockets {

  private RawSockets() {}

  /** A connection to {@code port} on 127.0.0.1 from {@code localAddress} (e.g. 127.0.0.2). */
  public static Socket connectFrom(String localAddress, int port) {
    try {
      var socket = new Socket();
      socket.bind(new InetSocketAddress(localAddress, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether the server closed {@code socket} (end of stream or reset) within {@code timeoutMs}, as
   * opposed to keeping it open and silent.
   */
  public static boolean closedByServerWithin(Socket socket, int timeoutMs) {
    try {
      socket.setSoTimeout(timeoutMs);
      InputStream in = socket.getInputStream();
      while (in.read() != -1) {
        // skip what the server says before closing
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  /** Everything the server sends until it closes (or {@code timeoutMs} of silence). */
  public static String readUntilClosed(Socket socket, int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    var out = new StringBuilder();
    byte[] buffer = new byte[4096];
    InputStream in = socket.getInputStream();
    try {
      for (int n; (n = in.read(buffer)) != -1; ) {
        out.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      }
    } catch (SocketTimeoutException e) {
      out.append("<timeout>");
    }
    return out.toString();
  }

  public static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }
}

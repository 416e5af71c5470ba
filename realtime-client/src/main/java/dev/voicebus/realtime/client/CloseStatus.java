package dev.voicebus.realtime.client;

/**
 * How a connection ended: the WebSocket close code and reason. 1006 means the TCP connection ended
 * without a close frame; 1005 means the close frame carried no code.
 */
public record CloseStatus(int code, String reason) {

  public static final int NORMAL = 1000;
  public static final int GOING_AWAY = 1001;
  public static final int NO_STATUS = 1005;
  public static final int ABNORMAL = 1006;
}

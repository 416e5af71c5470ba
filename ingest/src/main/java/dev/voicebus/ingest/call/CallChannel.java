package dev.voicebus.ingest.call;

/**
 * How a call talks back to its caller, implemented once per protocol (Twilio, plain WebSocket,
 * HTTP). Every method is called on the call's event loop; writes are not flushed until {@link
 * #flush()}.
 */
public interface CallChannel {

  /** Writes one frame of agent audio in the call's codec. */
  void writeAudio(byte[] frame);

  /** Writes a playback mark that the caller side echoes once the audio before it has played. */
  void writeMark(String name);

  /** Tells the caller side to drop audio it has buffered. */
  void writeClear();

  void flush();

  /** Ends the connection with a WebSocket close code (or HTTP status) and a reason. */
  void close(int code, String reason);

  /** Whether the caller side can play agent audio at all. */
  default boolean playsAudio() {
    return true;
  }
}

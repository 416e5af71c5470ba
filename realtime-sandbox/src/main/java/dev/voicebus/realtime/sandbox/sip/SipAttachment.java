package dev.voicebus.realtime.sandbox.sip;

import dev.voicebus.realtime.sandbox.protocol.EventSink;

/**
 * One sideband socket's link to its call, for the socket's handler: client events in, and the
 * socket's end. Every method hands the work to the call's event loop, in call order.
 */
public final class SipAttachment {
  private final SipCall call;
  private final EventSink socket;

  SipAttachment(SipCall call, EventSink socket) {
    this.call = call;
    this.socket = socket;
  }

  /** A text frame from the socket (a client event). */
  public void text(String text) {
    call.loop().execute(() -> call.text(socket, text));
  }

  /** The socket closed. */
  public void closed() {
    call.loop().execute(() -> call.detached(socket));
  }

  public String callId() {
    return call.callId();
  }
}

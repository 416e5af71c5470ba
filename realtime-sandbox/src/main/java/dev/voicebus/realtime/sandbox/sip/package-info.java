/**
 * The sandbox's emulation of OpenAI's Realtime SIP interface: simulated inbound calls announced by
 * a signed {@code realtime.call.incoming} webhook, the calls API ({@code accept}, {@code reject},
 * {@code refer}, {@code hangup}) with a per-call state machine, the {@code ?call_id=} sideband
 * socket, and a simulated caller who plays a scenario's caller turns on the phone leg.
 */
package dev.voicebus.realtime.sandbox.sip;

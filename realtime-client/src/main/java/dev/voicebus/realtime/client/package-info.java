/**
 * Netty WebSocket client for the Realtime API: {@link dev.voicebus.realtime.client.RealtimeClient}
 * opens {@link dev.voicebus.realtime.client.RealtimeConnection}s and reports to a {@link
 * dev.voicebus.realtime.client.RealtimeListener}.
 */
package dev.voicebus.realtime.client;

/**
 * Typed model of the OpenAI Realtime GA protocol events ({@link
 * dev.voicebus.realtime.event.ClientEvent}, {@link dev.voicebus.realtime.event.ServerEvent}) and
 * their JSON codec {@link dev.voicebus.realtime.event.RealtimeJson}.
 */
package dev.voicebus.realtime.event;

package dev.voicebus.simulator;

/** One media frame of agent audio received by the simulated caller, with its arrival time. */
public record ReceivedFrame(byte[] payload, long arrivedNanos) {}

package dev.voicebus.realtime.event;

import java.util.List;

/** Log probability of one transcribed token (when {@code include} asks for logprobs). */
public record LogProb(String token, double logprob, List<Integer> bytes) {}

package dev.voicebus.recorder.loop;

import dev.voicebus.recorder.config.RecorderConfig;
import java.time.Duration;

/**
 * What a {@link RecorderLoop} reads and how: full topic names, how often offsets are committed, and
 * where a group without committed offsets starts.
 */
public record LoopSettings(
    String controlTopic,
    String audioInTopic,
    String toolResultsTopic,
    String audioOutTopic,
    Duration commitInterval,
    RecorderConfig.StartAt startAt) {}

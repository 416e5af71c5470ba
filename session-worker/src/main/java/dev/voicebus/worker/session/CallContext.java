package dev.voicebus.worker.session;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.worker.config.AgentProfile;
import java.time.Instant;

/**
 * The fixed facts of one call that its session needs: who, which profile, which codec, where
 * replies go.
 */
public record CallContext(
    String callId,
    String tenantId,
    AgentProfile profile,
    AudioCodec codec,
    String replyTopic,
    int replyPartition,
    Instant startedAt) {}

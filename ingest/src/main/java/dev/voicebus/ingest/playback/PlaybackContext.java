package dev.voicebus.ingest.playback;

import dev.voicebus.ingest.admin.IngestMetrics;
import dev.voicebus.ingest.call.CallRegistry;
import dev.voicebus.schemas.dlq.DeadLetterPublisher;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What every playback consumer of one node shares and outlives it: the client settings, the reply
 * partition, the live calls it plays to, metrics, the dead-letter publisher and the cursor.
 */
public record PlaybackContext(
    Map<String, Object> clientConfig,
    TopicPartition partition,
    CallRegistry registry,
    IngestMetrics metrics,
    DeadLetterPublisher deadLetters,
    PlaybackCursor cursor) {

  public PlaybackContext(
      Map<String, Object> clientConfig,
      TopicPartition partition,
      CallRegistry registry,
      IngestMetrics metrics,
      DeadLetterPublisher deadLetters) {
    this(clientConfig, partition, registry, metrics, deadLetters, new PlaybackCursor());
  }
}

package dev.voicebus.worker.output;

import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.TopicSpec;
import dev.voicebus.schemas.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the worker's Realtime sessions produce: transcripts, tool calls, session events,
 * and agent audio to the reply partition of the caller's ingest node. Sends are asynchronous from
 * the session's event loop (never waited on per record); the producer is idempotent with {@code
 * acks=all}, so a retried send neither duplicates nor reorders a call's records. Thread-safe.
 */
public final class OutputPublisher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutputPublisher.class);

  private final Producer<String, byte[]> producer;
  private final TopicCatalogue catalogue;

  public OutputPublisher(Map<String, Object> clientConfig, TopicCatalogue catalogue) {
    var config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "voicebus-session-worker-out");
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    this.catalogue = catalogue;
  }

  public void transcript(TranscriptEvent event) {
    send(Topics.TRANSCRIPTS, event.getCallId(), event);
  }

  public void toolCall(ToolCall call) {
    send(Topics.TOOL_CALLS, call.getCallId(), call);
  }

  public void sessionEvent(SessionEvent event) {
    send(Topics.SESSION_EVENTS, event.getCallId(), event);
  }

  /** Agent audio, a clear or a hang-up for the caller, to the ingest node's reply partition. */
  public void audioOut(String replyTopic, int replyPartition, String callId, AudioOut out) {
    byte[] value = Topics.AUDIO_OUT.valueSerde().serializer().serialize(replyTopic, out);
    producer.send(
        new ProducerRecord<>(replyTopic, replyPartition, callId, value),
        callback(replyTopic, callId));
  }

  /** Sends everything buffered; used before a graceful hand-over so nothing produced is lost. */
  public void flush() {
    producer.flush();
  }

  private <V> void send(TopicSpec<String, V> spec, String callId, V value) {
    String topic = catalogue.name(spec);
    byte[] bytes = spec.valueSerde().serializer().serialize(topic, value);
    producer.send(new ProducerRecord<>(topic, callId, bytes), callback(topic, callId));
  }

  private static Callback callback(String topic, String callId) {
    return (metadata, error) -> {
      if (error == null) {
        return;
      }
      if (error instanceof RetriableException) {
        log.warn("[{}] Send to {} failed after retries: {}", callId, topic, error.toString());
      } else {
        log.error("[{}] Send to {} failed: {}", callId, topic, error.toString());
      }
    };
  }

  @Override
  public void close() {
    producer.close();
  }
}

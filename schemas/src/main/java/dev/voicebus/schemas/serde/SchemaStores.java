package dev.voicebus.schemas.serde;

import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.Topics;
import java.util.List;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the runtime writer-schema store: at start-up every service publishes the current schema of
 * every contract type to the compacted {@code schemas} topic, and its readers resolve fingerprints
 * they do not bundle from that topic. During a rolling upgrade a service still on the previous
 * release therefore reads what an upgraded writer writes (compatibility both ways is checked when a
 * schema version is published), instead of dead-lettering it as an unknown writer schema.
 */
public final class SchemaStores {

  private static final Logger log = LoggerFactory.getLogger(SchemaStores.class);

  private SchemaStores() {}

  /**
   * Publishes this build's writer schemas and makes the topic the process's schema store. Blocks
   * until the broker acknowledged them (start-up only). Close the store at shutdown.
   */
  public static KafkaSchemaStore install(KafkaSettings kafka) {
    var store = new KafkaSchemaStore(kafka.clientConfig(), kafka.catalogue().name(Topics.SCHEMAS));
    List<Schema> current = ContractType.ALL.stream().map(ContractType::currentSchema).toList();
    store.publish(current);
    AvroSerde.useProcessStore(store);
    log.info(
        "Published {} writer schemas to {}",
        current.size(),
        kafka.catalogue().name(Topics.SCHEMAS));
    return store;
  }
}

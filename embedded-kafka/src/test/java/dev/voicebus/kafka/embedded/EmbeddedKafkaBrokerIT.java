package dev.voicebus.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerIT {

  @Test
  void carriesRecordsAndKeepsThemAcrossARestart() throws Exception {
    Path dataDir;
    try (var broker = EmbeddedKafkaBroker.start()) {
      dataDir = dataDirOf(broker);
      createTopic(broker, "restart-test");
      produce(broker, "restart-test", "before");

      broker.stop();
      assertThat(broker.isRunning()).isFalse();
      broker.restart();

      produce(broker, "restart-test", "after");
      assertThat(consumeAll(broker, "restart-test", 2)).containsExactly("before", "after");
    }
    assertThat(Files.exists(dataDir)).as("data directory deleted on close").isFalse();
  }

  @Test
  void twoBrokersPickDifferentPorts() {
    try (var first = EmbeddedKafkaBroker.start();
        var second = EmbeddedKafkaBroker.start(Map.of("num.partitions", "3"))) {
      assertThat(first.bootstrapServers()).isNotEqualTo(second.bootstrapServers());
    }
  }

  private static Path dataDirOf(EmbeddedKafkaBroker broker) {
    String text = broker.toString();
    return Path.of(text.substring(text.indexOf("data=") + 5, text.length() - 1));
  }

  private static void createTopic(KafkaCluster cluster, String topic) throws Exception {
    try (var admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static void produce(KafkaCluster cluster, String topic, String value) throws Exception {
    var props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    try (var producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", value)).get(30, TimeUnit.SECONDS);
    }
  }

  private static List<String> consumeAll(KafkaCluster cluster, String topic, int expected) {
    var props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (values.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
    }
    return values;
  }
}

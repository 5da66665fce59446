package io.syncline.registry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.syncline.kafka.ConnectRestClient;
import io.syncline.kafka.EmbeddedConnectWorker;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.registry.client.HttpSchemaRegistryClient;
import io.syncline.registry.connect.AvroConverter;
import io.syncline.registry.connect.ConnectFixtures;
import io.syncline.registry.server.SchemaRegistryServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converter as users run it: a real Connect worker (distributed mode, {@code plugin.discovery=service_load})
 * finds it through its service manifest, configured per connector with {@code value.converter.*} keys, against the
 * real registry.
 */
class AvroConverterInConnectWorkerIT {

    @TempDir
    static Path dataDir;

    static EmbeddedKafkaBroker broker;
    static SchemaRegistryServer registry;
    static EmbeddedConnectWorker worker;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.builder(dataDir).build().start();
        registry = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build().start();
        worker = EmbeddedConnectWorker.builder(broker.bootstrapServers()).port(0).build().start();
    }

    @AfterAll
    static void stop() {
        try {
            if (worker != null) {
                worker.close();
            }
            if (registry != null) {
                registry.close();
            }
        } finally {
            broker.close();
        }
    }

    @Test
    void aSourceConnectorWritesEveryConnectTypeAsAvroThroughTheConverter() {
        String topic = "it.connect.everything";
        ConnectRestClient rest = new ConnectRestClient(worker.url());
        rest.putConnectorConfig("fixture", Map.of(
                "connector.class", FixtureSourceConnector.class.getName(),
                "tasks.max", "1",
                "topic", topic,
                "count", "3",
                "value.converter", AvroConverter.class.getName(),
                "value.converter.schema.registry.url", registry.url()));

        List<byte[]> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !consumer.partitionsFor(topic).isEmpty());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
                return values.size() >= 4;
            });
        }

        AvroConverter reader = new AvroConverter();
        reader.configure(Map.of("schema.registry.url", registry.url()), false);
        // Keys may land on different partitions, so order across them is not fixed: three records and one tombstone.
        assertThat(values).hasSize(4).filteredOn(java.util.Objects::isNull).as("the tombstone").hasSize(1);
        for (byte[] value : values.stream().filter(java.util.Objects::nonNull).toList()) {
            SchemaAndValue data = reader.toConnectData(topic, value);
            assertThat(data.schema()).isEqualTo(ConnectFixtures.EVERYTHING);
            assertThat(data.value()).isEqualTo(ConnectFixtures.everything());
        }
        assertThat(HttpSchemaRegistryClient.create(Map.of("schema.registry.url", registry.url()))
                .getAllVersions(topic + "-value")).containsExactly(1);
        assertThat(rest.status("fixture").tasks()).singleElement()
                .satisfies(task -> assertThat(task.state()).isEqualTo("RUNNING"));
    }
}

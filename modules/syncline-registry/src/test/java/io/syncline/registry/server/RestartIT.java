package io.syncline.registry.server;

import static io.syncline.registry.server.RegistryClient.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.registry.server.RegistryClient.Answer;

/** A restarted registry rebuilds exactly the same state from the topic, also after the log cleaner ran. */
class RestartIT {

    @TempDir
    static Path dataDir;

    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        // The cleaner looks for work every 100 ms instead of every 15 s, so the compaction test finishes quickly.
        broker = EmbeddedKafkaBroker.builder(dataDir).config("log.cleaner.backoff.ms", "100").build().start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void aRestartedServerRebuildsItsStateFromTheTopicWithIdsUnchanged() {
        String topic = "_schemas_restart";
        Map<String, Object> before;
        int maxId;
        try (SchemaRegistryServer server = server(topic)) {
            RegistryClient client = new RegistryClient(server.url());
            int a1 = client.register("restart-a", record("A", "a:string"));
            int a2 = client.register("restart-a", record("A", "a:string", "b:string=\"x\""));
            int b1 = client.register("restart-b", record("B", "b:string"));
            assertThat(client.register("restart-c", record("A", "a:string"))).isEqualTo(a1);
            client.put("/config/restart-b", Map.of("compatibility", "FULL"));
            client.put("/config", Map.of("compatibility", "FORWARD"));
            client.delete("/subjects/restart-a/versions/1");
            client.delete("/subjects/restart-c");
            maxId = Math.max(Math.max(a1, a2), b1);
            before = observe(client, maxId);
        }

        try (SchemaRegistryServer restarted = server(topic)) {
            RegistryClient client = new RegistryClient(restarted.url());
            assertThat(observe(client, maxId)).isEqualTo(before);
            int next = client.register("restart-d", record("D", "d:string"));
            assertThat(next).isEqualTo(maxId + 1);
        }
    }

    @Test
    void idsOfPermanentlyDeletedSchemasAreNotReusedAfterCompactionRemovedTheirRecords() throws Exception {
        String topic = "_schemas_compacted";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(
                    "cleanup.policy", "compact",
                    "segment.ms", "100",
                    "min.cleanable.dirty.ratio", "0.01",
                    "delete.retention.ms", "100")))).all().get();
        }
        int keptId;
        int deletedId;
        try (SchemaRegistryServer server = server(topic)) {
            RegistryClient client = new RegistryClient(server.url());
            keptId = client.register("kept", record("Kept", "a:string"));
            deletedId = client.register("dropped", record("Dropped", "a:string"));
            assertThat(client.delete("/subjects/dropped").status()).isEqualTo(200);
            assertThat(client.delete("/subjects/dropped?permanent=true").status()).isEqualTo(200);
        }

        byte[] droppedKey = StoreRecords.keyBytes(new StoreRecords.SchemaKey("dropped", 1));
        try (KafkaProducer<byte[], byte[]> filler = new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            int[] n = {0};
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                // Appends roll the active segment (the cleaner never touches it); tombstones of throw-away keys
                // leave nothing behind and the registry ignores them.
                byte[] key = ("{\"keytype\":\"NOOP\",\"magic\":0,\"filler\":" + n[0]++ + "}")
                        .getBytes(StandardCharsets.UTF_8);
                filler.send(new ProducerRecord<>(topic, 0, key, null)).get();
                assertThat(readAll(topic)).noneMatch(r -> Arrays.equals(r.key(), droppedKey) && r.value() != null);
            });
        }

        try (SchemaRegistryServer restarted = server(topic)) {
            RegistryClient client = new RegistryClient(restarted.url());
            assertThat(client.get("/schemas/ids/" + keptId).status()).isEqualTo(200);
            assertThat(client.get("/schemas/ids/" + deletedId).errorCode()).isEqualTo(40403);
            int fresh = client.register("fresh", record("Fresh", "a:string"));
            assertThat(fresh).isGreaterThan(deletedId);
        }
    }

    private static SchemaRegistryServer server(String topic) {
        return SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).topic(topic).build().start();
    }

    /** Everything a client can see, for ids 1..maxId and the subjects that exist. */
    private static Map<String, Object> observe(RegistryClient client, int maxId) {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("subjects", client.get("/subjects?deleted=true").body());
        seen.put("live subjects", client.get("/subjects").body());
        seen.put("global", client.get("/config").body());
        client.get("/subjects?deleted=true").json().forEach(s -> {
            String subject = s.asText();
            seen.put(subject + " versions", client.get("/subjects/" + subject + "/versions?deleted=true").body());
            seen.put(subject + " live versions", client.get("/subjects/" + subject + "/versions").body());
            seen.put(subject + " config", client.get("/config/" + subject).body());
            client.get("/subjects/" + subject + "/versions?deleted=true").json().forEach(v -> seen.put(
                    subject + " v" + v.asInt(),
                    client.get("/subjects/" + subject + "/versions/" + v.asInt() + "?deleted=true").body()));
        });
        for (int id = 1; id <= maxId + 1; id++) {
            Answer a = client.get("/schemas/ids/" + id);
            seen.put("id " + id, a.status() + " " + a.body());
            seen.put("id " + id + " versions", client.get("/schemas/ids/" + id + "/versions?deleted=true").body());
        }
        return seen;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers(), "isolation.level", "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
            while (consumer.position(tp) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}

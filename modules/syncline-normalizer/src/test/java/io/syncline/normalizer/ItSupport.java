package io.syncline.normalizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Producing raw records and reading canonical ones back (read_committed, through the registry) in ITs. */
public final class ItSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ItSupport() {
    }

    /** A canonical record read back: key, value decoded through the registry (null for a tombstone). */
    public record Read(String key, GenericRecord value) {
    }

    /** Copies the repository's mappings/ into {@code target} so a test may edit them. */
    public static Path copyMappings(Path target) {
        Path source = Path.of("../../mappings");
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : walk.toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** A fixture from src/test/resources/fixtures/stripe, compacted. */
    public static String fixture(String name) {
        try (InputStream in = ItSupport.class.getResourceAsStream("/fixtures/stripe/" + name)) {
            return JSON.writeValueAsString(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The provider object id of a raw value: the record key the connector and gateway use. */
    public static String objectId(String json) {
        try {
            var root = JSON.readTree(json);
            return ("event".equals(root.path("object").asText()) ? root.path("data").path("object") : root)
                    .path("id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", true,
                "linger.ms", 5), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends a raw record keyed by its object id and waits for the ack. */
    public static void send(KafkaProducer<byte[], byte[]> producer, String topic, String json, String... headers) {
        RecordHeaders h = new RecordHeaders();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        try {
            producer.send(new ProducerRecord<>(topic, null, objectId(json).getBytes(StandardCharsets.UTF_8),
                    json.getBytes(StandardCharsets.UTF_8), h)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the Streams application {@code applicationId} has committed offsets up to the end of every
     * partition of {@code topics}: everything produced so far is processed and its output committed.
     */
    public static void awaitCommitted(String bootstrap, String applicationId, Collection<String> topics) {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                        for (var d : admin.describeTopics(topics).allTopicNames().get().values()) {
                            d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()),
                                    OffsetSpec.latest()));
                        }
                        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
                                admin.listOffsets(request).all().get();
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                                applicationId).partitionsToOffsetAndMetadata().get();
                        for (var e : end.entrySet()) {
                            OffsetAndMetadata c = committed.get(e.getKey());
                            if (e.getValue().offset() > 0 && (c == null || c.offset() < e.getValue().offset())) {
                                return false;
                            }
                        }
                        return true;
                    });
        }
    }

    /** Everything committed in {@code topic} now, decoded through the registry. */
    public static List<Read> readToEnd(String bootstrap, String registryUrl, String topic) {
        KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        values.configure(Map.of("schema.registry.url", registryUrl), false);
        List<Read> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "isolation.level", "read_committed", "enable.auto.commit", false), new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(new Read(r.key(), r.value() == null ? null
                            : (GenericRecord) values.deserialize(topic, r.value())));
                }
            }
        } finally {
            values.close();
        }
        return out;
    }

    /**
     * Reads {@code topic} from the beginning with a read_committed consumer until {@code done} holds for what was
     * read (or 60 s pass), decoding values through the registry.
     */
    public static List<Read> readCanonical(String bootstrap, String registryUrl, String topic,
            Predicate<List<Read>> done) {
        KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        values.configure(Map.of("schema.registry.url", registryUrl), false);
        List<Read> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "group.id", "it-reader-" + System.nanoTime(), "auto.offset.reset", "earliest",
                "isolation.level", "read_committed", "enable.auto.commit", false), new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(Set.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!done.test(out) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(new Read(r.key(), r.value() == null ? null
                            : (GenericRecord) values.deserialize(topic, r.value())));
                }
            }
        } finally {
            values.close();
        }
        return out;
    }
}

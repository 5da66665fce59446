package io.syncline.connect.cdc;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.syncline.registry.serde.KafkaAvroDeserializer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every {@code cdc.*} topic of a prefix as a read_committed consumer (the worker writes them in transactions),
 * decoding keys and values from Avro through the registry, and keeps what it read.
 */
final class CdcTopics implements AutoCloseable {

    /** One record of a change topic; {@code value} is null for a tombstone. */
    record Change(String topic, Object key, Object value, Map<String, String> headers, long offset) {

        /** The row's id: the key's {@code id} field, or the key itself (outbox events: the aggregate id). */
        String id() {
            return key instanceof GenericRecord r ? String.valueOf(r.get("id")) : String.valueOf(key);
        }

        boolean tombstone() {
            return value == null;
        }

        GenericRecord envelope() {
            return (GenericRecord) value;
        }

        /** Debezium's operation: r (snapshot read), c, u, d. */
        String op() {
            return String.valueOf(envelope().get("op"));
        }

        GenericRecord before() {
            return (GenericRecord) envelope().get("before");
        }

        GenericRecord after() {
            return (GenericRecord) envelope().get("after");
        }

        /** The row image the change is about: after, or before for a delete. */
        GenericRecord row() {
            return after() != null ? after() : before();
        }

        int version() {
            return ((Number) row().get("version")).intValue();
        }

        /** {@code <table topic>:<id>:<version>:<op>}, the identity the tests compare. */
        String identity() {
            return topic + ":" + id() + ":" + version() + ":" + (op().equals("r") ? "c" : op());
        }

        long lsn() {
            return ((Number) ((GenericRecord) envelope().get("source")).get("lsn")).longValue();
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaAvroDeserializer keys = new KafkaAvroDeserializer();
    private final KafkaAvroDeserializer values = new KafkaAvroDeserializer();
    private final List<Change> read = new ArrayList<>();
    /**
     * Positions already read: a pattern subscription rebalances whenever a new topic appears, and without committed
     * offsets the consumer then starts its partitions over (auto.offset.reset), reading records it has read before.
     */
    private final Set<String> positions = new HashSet<>();

    /** Subscribes to every topic whose name starts with {@code prefix + "."}. */
    CdcTopics(String bootstrapServers, String registryUrl, String prefix) {
        keys.configure(Map.of("schema.registry.url", registryUrl), true);
        values.configure(Map.of("schema.registry.url", registryUrl), false);
        consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "group.id", "cdc-test-" + UUID.randomUUID(),
                "isolation.level", "read_committed",
                "auto.offset.reset", "earliest",
                "enable.auto.commit", false,
                // Topics appear as the connector writes to them: look for new ones often.
                "metadata.max.age.ms", 500), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(Pattern.compile(Pattern.quote(prefix) + "\\..*"));
    }

    /** Everything read so far. */
    synchronized List<Change> all() {
        return List.copyOf(read);
    }

    /** Reads what is there now (one poll) and returns everything read so far. */
    synchronized List<Change> poll() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (!positions.add(r.topic() + "/" + r.partition() + "/" + r.offset())) {
                continue;
            }
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (Header h : r.headers()) {
                headers.put(h.key(), h.value() == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8));
            }
            Object key = r.key() == null ? null : keys.deserialize(r.topic(), r.key());
            Object value = r.value() == null ? null : values.deserialize(r.topic(), r.value());
            read.add(new Change(r.topic(), key, value, headers, r.offset()));
        }
        return List.copyOf(read);
    }

    /** Polls until {@code done} holds for everything read, failing after {@code timeout} with what was read. */
    List<Change> awaitUntil(Duration timeout, String what, Predicate<List<Change>> done) {
        // In this thread: the consumer is not for sharing, and each poll waits up to 200 ms by itself.
        await().atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .alias(what).until(() -> done.test(poll()));
        return all();
    }

    /** The changes of one topic read so far. */
    List<Change> of(String topic) {
        return all().stream().filter(c -> c.topic().equals(topic)).toList();
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
        keys.close();
        values.close();
    }
}

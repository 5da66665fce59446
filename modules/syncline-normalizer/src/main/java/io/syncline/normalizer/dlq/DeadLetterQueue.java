package io.syncline.normalizer.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import io.syncline.normalizer.stream.DeadLetterHeaders;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Reads a dead-letter topic and re-injects records into the raw topics they came from (after a mapping fix). Used
 * by {@code syncline dlq list|show|replay} and the console.
 *
 * <p>A replay writes the original key, value and headers to {@code syncline.source.topic}, keeps
 * {@code syncline.first-seen}, raises {@code syncline.attempt} and drops the other error headers. A record that fails
 * again returns to the DLQ with the new attempt number; one replayed twice is dropped by the normalizer's dedupe
 * (same event id and version).
 *
 * <p>A Kafka topic cannot forget one record, so each replay is also recorded in the compacted topic
 * {@value #REPLAY_LOG_TOPIC} (key {@code <dlq topic>/<partition>:<offset>}); {@link #replayed()} reads it back, and the
 * console shows only the dead letters nobody replayed yet. One that fails again comes back as a new record with the
 * next attempt.
 */
public final class DeadLetterQueue {

    /** Where replays are recorded, one compacted record per replayed dead letter (internal: starts with _). */
    public static final String REPLAY_LOG_TOPIC = "_syncline.dlq-replays";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> clientConfig;
    private final String topic;

    /**
     * @param clientConfig Kafka client settings ({@code bootstrap.servers} and security settings)
     * @param topic the dead-letter topic, e.g. {@code dlq.normalizer}
     */
    public DeadLetterQueue(Map<String, Object> clientConfig, String topic) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.topic = topic;
    }

    /** Every dead letter present now (up to the end offsets at the time of the call) that matches {@code filter}. */
    public List<DeadLetter> read(Predicate<DeadLetter> filter) {
        Map<String, Object> props = new LinkedHashMap<>(clientConfig);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<DeadLetter> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return out;
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!done(consumer, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    DeadLetter d = new DeadLetter(r.partition(), r.offset(), r.timestamp(), r.key(), r.value(),
                            headers(r.headers()));
                    if (filter.test(d)) {
                        out.add(d);
                    }
                }
            }
        }
        out.sort(Comparator.comparingLong(DeadLetter::timestamp).thenComparingInt(DeadLetter::partition)
                .thenComparingLong(DeadLetter::offset));
        return out;
    }

    private static boolean done(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The dead letter at {@code partition:offset}, or null. */
    public DeadLetter find(int partition, long offset) {
        List<DeadLetter> found = read(d -> d.partition() == partition && d.offset() == offset);
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * Writes each dead letter back to its source topic (idempotent producer, {@code acks=all}).
     *
     * @return how many were replayed
     * @throws IllegalArgumentException when a dead letter does not say where it came from
     */
    public int replay(List<DeadLetter> letters) {
        Map<String, Object> props = new LinkedHashMap<>(clientConfig);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (DeadLetter d : letters) {
                String source = d.sourceTopic();
                if (source == null || source.isEmpty()) {
                    throw new IllegalArgumentException("dead letter " + d.position() + " has no "
                            + DeadLetterHeaders.SOURCE_TOPIC + " header; cannot tell where to replay it");
                }
                sent.add(producer.send(new ProducerRecord<>(source, null, d.key(), d.value(), replayHeaders(d))));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
            // Recorded only once every record is back in its source topic: a replay that failed half-way shows the
            // dead letters as still waiting, and a second replay is harmless (the normalizer dedupes by event id).
            ensureReplayLog();
            List<Future<RecordMetadata>> logged = new ArrayList<>();
            String now = Instant.now().toString();
            for (DeadLetter d : letters) {
                String value = "{\"replayedAt\":\"" + now + "\",\"to\":\"" + d.sourceTopic() + "\",\"attempt\":"
                        + (d.attempt() + 1) + "}";
                logged.add(producer.send(new ProducerRecord<>(REPLAY_LOG_TOPIC, replayKey(d.partition(), d.offset())
                        .getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
            for (Future<RecordMetadata> f : logged) {
                f.get();
            }
            return sent.size();
        } catch (ExecutionException e) {
            throw new IllegalStateException("replaying to the source topics: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying", e);
        }
    }

    /**
     * The positions ({@code <partition>:<offset>}) of this topic's dead letters that were replayed, as recorded in
     * {@value #REPLAY_LOG_TOPIC}; empty when nothing was ever replayed.
     */
    public Set<String> replayed() {
        Map<String, Object> props = new LinkedHashMap<>(clientConfig);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        Set<String> out = new HashSet<>();
        String prefix = topic + "/";
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(REPLAY_LOG_TOPIC, TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return out;
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(REPLAY_LOG_TOPIC, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!done(consumer, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    if (key.startsWith(prefix)) {
                        if (r.value() == null) {
                            out.remove(key.substring(prefix.length()));
                        } else {
                            out.add(key.substring(prefix.length()));
                        }
                    }
                }
            }
        }
        return out;
    }

    private String replayKey(int partition, long offset) {
        return topic + "/" + partition + ":" + offset;
    }

    /** Creates the compacted replay log when the cluster does not have it (brokers may not auto-create topics). */
    private void ensureReplayLog() throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(clientConfig)) {
            if (admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                    .get().contains(REPLAY_LOG_TOPIC)) {
                return;
            }
            int brokers = admin.describeCluster().nodes().get().size();
            NewTopic log = new NewTopic(REPLAY_LOG_TOPIC,
                    1, (short) Math.min(3, Math.max(1, brokers)))
                    .configs(Map.of("cleanup.policy", "compact"));
            try {
                admin.createTopics(List.of(log)).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    static Headers replayHeaders(DeadLetter d) {
        Headers h = new RecordHeaders();
        for (Map.Entry<String, String> e : d.headers().entrySet()) {
            String k = e.getKey();
            // syncline.error.*: a sink's dead letters carry more of them (HTTP status and body) than the normalizer's.
            if (DeadLetterHeaders.ERROR_HEADERS.contains(k) || k.startsWith("syncline.error.")
                    || k.equals(DeadLetterHeaders.ATTEMPT)) {
                continue;
            }
            h.add(k, e.getValue() == null ? null : e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        h.add(DeadLetterHeaders.ATTEMPT, String.valueOf(d.attempt() + 1).getBytes(StandardCharsets.UTF_8));
        return h;
    }

    private static Map<String, String> headers(Headers headers) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Header h : headers) {
            out.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }
}

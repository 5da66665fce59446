package io.syncline.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what landed in Kafka between two moments: end offsets of every topic before, then the records after them.
 * "Nothing written" is asserted as "no end offset moved".
 */
final class RawTopics implements AutoCloseable {

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> consumer;

    RawTopics(String bootstrapServers) {
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
        this.consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
                "enable.auto.commit", "false"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The end offset of every partition of every non-internal topic. */
    Map<TopicPartition, Long> endOffsets() {
        Set<String> topics;
        try {
            topics = admin.listTopics().names().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("listing topics", e);
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
        }
        return new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
    }

    /** Every record written since {@code before} was taken, in any topic. */
    List<ConsumerRecord<byte[], byte[]>> since(Map<TopicPartition, Long> before) {
        Map<TopicPartition, Long> after = endOffsets();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> e : after.entrySet()) {
            long from = before.getOrDefault(e.getKey(), 0L);
            if (e.getValue() <= from) {
                continue;
            }
            consumer.assign(List.of(e.getKey()));
            consumer.seek(e.getKey(), from);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(e.getKey()) < e.getValue() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < e.getValue()) {
                        records.add(r);
                    }
                }
            }
        }
        consumer.assign(List.of());
        return records;
    }

    @Override
    public void close() {
        consumer.close();
        admin.close();
    }
}

package io.syncline.delivery;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Which records a sink task took but has not finished (delivered, dead-lettered or deliberately skipped), per
 * partition, and so which offsets are safe to commit: below the lowest unfinished record. Committing only those is
 * what makes a worker restart lose nothing while deliveries finish out of offset order across keys.
 *
 * <p>Thread-safe: the task thread registers and computes, delivery lanes complete.
 */
public final class OffsetTracker {

    private final Map<TopicPartition, ConcurrentSkipListSet<Long>> pending = new ConcurrentHashMap<>();

    /** The record was taken and is not finished yet. */
    public void register(SinkRecord record) {
        pending.computeIfAbsent(partitionOf(record), tp -> new ConcurrentSkipListSet<>()).add(record.originalKafkaOffset());
    }

    /** The record is finished; its offset no longer holds commits back. */
    public void complete(SinkRecord record) {
        ConcurrentSkipListSet<Long> set = pending.get(partitionOf(record));
        if (set != null) {
            set.remove(record.originalKafkaOffset());
        }
    }

    /**
     * The offsets to commit: for each partition in {@code current} (the worker's positions after the records it
     * handed over), the lowest unfinished offset when there is one, else the worker's own position.
     */
    public Map<TopicPartition, OffsetAndMetadata> safeOffsets(Map<TopicPartition, OffsetAndMetadata> current) {
        Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>(current.size());
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : current.entrySet()) {
            ConcurrentSkipListSet<Long> set = pending.get(e.getKey());
            Long lowest = set == null ? null : lowest(set);
            if (lowest == null || lowest >= e.getValue().offset()) {
                safe.put(e.getKey(), e.getValue());
            } else {
                safe.put(e.getKey(), new OffsetAndMetadata(lowest, e.getValue().metadata()));
            }
        }
        return safe;
    }

    /** The lowest unfinished offset of {@code partition}, or -1 when everything taken is finished. */
    public long lowestPending(TopicPartition partition) {
        ConcurrentSkipListSet<Long> set = pending.get(partition);
        Long lowest = set == null ? null : lowest(set);
        return lowest == null ? -1 : lowest;
    }

    /** How many records are unfinished in all partitions. */
    public int pendingCount() {
        return pending.values().stream().mapToInt(ConcurrentSkipListSet::size).sum();
    }

    /** Forgets the partitions (they were revoked: another task resumes from their committed offsets). */
    public void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(pending::remove);
    }

    private static Long lowest(ConcurrentSkipListSet<Long> set) {
        try {
            return set.first();
        } catch (java.util.NoSuchElementException empty) {
            return null;
        }
    }

    /** The partition the record was consumed from (before any transform renamed its topic, KIP-793). */
    static TopicPartition partitionOf(SinkRecord record) {
        return new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
    }
}

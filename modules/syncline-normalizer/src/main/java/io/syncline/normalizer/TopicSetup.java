package io.syncline.normalizer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the topics the normalizer reads and writes when they are missing: canonical topics compacted with
 * retention ({@code cleanup.policy=compact,delete}), the DLQ and raw topics with deletion only. Existing topics are
 * left as they are.
 */
final class TopicSetup {

    static final String RAW_RETENTION_MS = String.valueOf(7L * 24 * 3600 * 1000);
    static final String DLQ_RETENTION_MS = String.valueOf(30L * 24 * 3600 * 1000);

    private TopicSetup() {
    }

    /**
     * The partition count of an existing topic. A topic created a moment ago may not be known to the broker answering
     * yet (its metadata propagates): that is asked again for up to 30 s before it counts as missing.
     */
    static int partitions(Admin admin, String topic) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                        .partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("describing topic " + topic + ": " + e.getCause(), e);
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("describing topic " + topic + ": no answer within 30 s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing topic " + topic, e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** The topics {@link #ensure} creates when missing, with their settings; {@code syncline plan} plans the same. */
    static List<NewTopic> wanted(Collection<String> raw, Collection<String> canonical, String dlq, int partitions,
            int rawPartitions, Short replication) {
        Optional<Integer> p = Optional.of(partitions);
        // Raw topics may get another count than the rest: the one the existing raw topics have (InputPartitions).
        Optional<Integer> rp = Optional.of(rawPartitions);
        Optional<Short> r = Optional.ofNullable(replication);
        List<NewTopic> wanted = new ArrayList<>();
        for (String t : canonical) {
            wanted.add(new NewTopic(t, p, r).configs(Map.of("cleanup.policy", "compact,delete")));
        }
        wanted.add(new NewTopic(dlq, p, r).configs(Map.of("cleanup.policy", "delete", "retention.ms",
                DLQ_RETENTION_MS)));
        for (String t : raw) {
            wanted.add(new NewTopic(t, rp, r).configs(Map.of("cleanup.policy", "delete", "retention.ms",
                    RAW_RETENTION_MS)));
        }
        return wanted;
    }

    static void ensure(Admin admin, Collection<String> raw, Collection<String> canonical, String dlq, int partitions,
            int rawPartitions, Short replication) {
        List<NewTopic> wanted = wanted(raw, canonical, dlq, partitions, rawPartitions, replication);
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("creating topic " + entry.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("listing topics to create the normalizer's: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }
}

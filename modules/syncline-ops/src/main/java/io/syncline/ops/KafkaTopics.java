package io.syncline.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** Topics of a Kafka cluster with their partition and record counts, for {@code topics} and {@code status}. */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /**
     * One topic.
     *
     * @param records end offset minus start offset summed over partitions: exact for plain topics, an upper bound
     *                where compaction removed records or transactions left commit markers
     */
    public record TopicInfo(String name, int partitions, long records) {
    }

    /** True for topics that keep Kafka's, the registry's or Connect's own state. */
    public static boolean isInternal(String topic) {
        return topic.startsWith("_") || topic.startsWith("syncline.connect.");
    }

    /** All topics, sorted by name; internal ones only when asked for. */
    public static List<TopicInfo> list(String bootstrapServers, boolean includeInternal) {
        try (Admin admin = Admin.create(Probes.adminConfig(bootstrapServers))) {
            return list(admin, includeInternal, bootstrapServers);
        }
    }

    /**
     * All topics, sorted by name, through an admin client the caller keeps (the console samples every few seconds
     * and would otherwise pay for a new client, its connections and metadata each time).
     *
     * @param where the cluster's address, for the error message
     */
    public static List<TopicInfo> list(Admin admin, boolean includeInternal, String where) {
        try {
            List<String> names = new ArrayList<>(admin.listTopics(new ListTopicsOptions().listInternal(includeInternal))
                    .names().get(10, TimeUnit.SECONDS));
            names.removeIf(n -> !includeInternal && isInternal(n));
            names.sort(null);
            if (names.isEmpty()) {
                return List.of();
            }
            Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            descriptions.values().forEach(d -> d.partitions().forEach(p -> {
                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                earliest.put(tp, OffsetSpec.earliest());
                latest.put(tp, OffsetSpec.latest());
            }));
            Map<TopicPartition, ListOffsetsResultInfo> start = admin.listOffsets(earliest).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> end = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            List<TopicInfo> out = new ArrayList<>();
            for (String name : names) {
                TopicDescription d = descriptions.get(name);
                long records = 0;
                for (var p : d.partitions()) {
                    TopicPartition tp = new TopicPartition(name, p.partition());
                    records += Math.max(0, end.get(tp).offset() - start.get(tp).offset());
                }
                out.add(new TopicInfo(name, d.partitions().size(), records));
            }
            return out;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("listing topics on Kafka at " + where + " failed: "
                    + (e.getCause() != null ? e.getCause().getMessage() : "no answer within 10 s"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        }
    }

    /**
     * How far a consumer group is behind: end offset minus committed offset, summed over the partitions it committed
     * (transaction markers count as records, so a transactional input reads a little high). -1 when the group has
     * committed nothing yet.
     */
    public static long lag(String bootstrapServers, String groupId) {
        try (Admin admin = Admin.create(Probes.adminConfig(bootstrapServers))) {
            return lag(admin, groupId, bootstrapServers);
        }
    }

    /** {@link #lag(String, String)} through an admin client the caller keeps; {@code where} names the cluster. */
    public static long lag(Admin admin, String groupId, String where) {
        try {
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.forEach((tp, om) -> {
                if (om != null) {
                    latest.put(tp, OffsetSpec.latest());
                }
            });
            if (latest.isEmpty()) {
                return -1;
            }
            Map<TopicPartition, ListOffsetsResultInfo> end = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            long lag = 0;
            for (TopicPartition tp : latest.keySet()) {
                lag += Math.max(0, end.get(tp).offset() - committed.get(tp).offset());
            }
            return lag;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("reading the offsets of consumer group " + groupId + " on " + where
                    + " failed: " + (e.getCause() != null ? e.getCause().getMessage() : "no answer within 10 s"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading consumer group offsets", e);
        }
    }

    /**
     * Per topic, how many records consumer group {@code groupId} has not read yet: end offset minus committed offset
     * over the partitions it committed, and the whole topic where it committed nothing (so a topic the group never
     * started shows everything as unread). Only topics whose name starts with {@code prefix}.
     */
    public static Map<String, Long> unreadPerTopic(String bootstrapServers, String groupId, String prefix) {
        try (Admin admin = Admin.create(Probes.adminConfig(bootstrapServers))) {
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            List<String> topics = admin.listTopics().names().get(10, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(prefix)).sorted().toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).forEach((t, d) ->
                    d.partitions().forEach(p -> {
                        TopicPartition tp = new TopicPartition(t, p.partition());
                        latest.put(tp, OffsetSpec.latest());
                        earliest.put(tp, OffsetSpec.earliest());
                    }));
            Map<TopicPartition, ListOffsetsResultInfo> end = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> start = admin.listOffsets(earliest).all()
                    .get(10, TimeUnit.SECONDS);
            Map<String, Long> unread = new java.util.TreeMap<>();
            for (TopicPartition tp : latest.keySet()) {
                var c = committed.get(tp);
                long from = c != null ? Math.max(c.offset(), start.get(tp).offset()) : start.get(tp).offset();
                unread.merge(tp.topic(), Math.max(0, end.get(tp).offset() - from), Long::sum);
            }
            return unread;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("reading the offsets of consumer group " + groupId + " on " + bootstrapServers
                    + " failed: " + (e.getCause() != null ? e.getCause().getMessage() : "no answer within 10 s"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading consumer group offsets", e);
        }
    }
}

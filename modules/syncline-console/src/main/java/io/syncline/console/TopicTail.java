package io.syncline.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.syncline.ops.AvroJsonDecoder;
import io.syncline.ops.RecordJson;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Live tails of topics for the Topics page: each watching browser gets its own consumer without a group (it commits
 * nothing and disturbs no consumer), records rendered to JSON exactly as {@code syncline tail} prints them. A few at a
 * time, so an open tab cannot exhaust the stack.
 */
final class TopicTail implements AutoCloseable {

    static final int MAX_TAILS = 8;
    /** Records shown from before the tail opened, per partition, so a quiet topic is not a blank page. */
    static final int BACKLOG_PER_PARTITION = 3;

    private final Cluster cluster;
    private final Semaphore slots = new Semaphore(MAX_TAILS);
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "syncline-console-tail");
        t.setDaemon(true);
        return t;
    });

    TopicTail(Cluster cluster) {
        this.cluster = cluster;
    }

    /** A running tail; {@link #stop} ends it. */
    interface Handle {
        void stop();
    }

    /**
     * Starts tailing {@code topic}; each record goes to {@code sink} as the JSON line {@code syncline tail} prints.
     *
     * @return the handle, or null when {@link #MAX_TAILS} tails run already
     */
    Handle start(String topic, Consumer<String> sink, Consumer<String> failure) {
        if (!slots.tryAcquire()) {
            return null;
        }
        AtomicBoolean stopped = new AtomicBoolean();
        Map<String, Object> props = new HashMap<>(cluster.clientConfig());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        KafkaConsumer<byte[], byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
        threads.execute(() -> {
            try (consumer) {
                RecordJson json = new RecordJson(new AvroJsonDecoder(cluster.registry(),
                        cluster.settings().registryUrl()));
                List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                if (partitions == null || partitions.isEmpty()) {
                    failure.accept("topic " + topic + " does not exist");
                    return;
                }
                List<TopicPartition> assigned = new ArrayList<>();
                partitions.forEach(p -> assigned.add(new TopicPartition(topic, p.partition())));
                consumer.assign(assigned);
                Map<TopicPartition, Long> begin = consumer.beginningOffsets(assigned);
                Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
                for (TopicPartition tp : assigned) {
                    consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - BACKLOG_PER_PARTITION));
                }
                while (!stopped.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        sink.accept(json.render(r));
                    }
                }
            } catch (WakeupException e) {
                // stop() woke the consumer up.
            } catch (RuntimeException e) {
                if (!stopped.get()) {
                    failure.accept(String.valueOf(e.getMessage()));
                }
            } finally {
                slots.release();
            }
        });
        return () -> {
            if (stopped.compareAndSet(false, true)) {
                consumer.wakeup();
            }
        };
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}

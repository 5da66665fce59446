package io.syncline.testsupport.connect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Runs a source task the way a Connect worker does, without a worker: {@code poll()} in a loop, and after each batch
 * the last offset per source partition "committed" (as a worker with exactly-once support commits per poll). A
 * restart is a new task that reads those committed offsets back. For task-level tests against a provider sandbox.
 *
 * @param <T> the task class
 */
public final class SourceTaskHarness<T extends SourceTask> implements AutoCloseable {

    private final Supplier<T> tasks;
    private final Map<Map<String, ?>, Map<String, ?>> committed = new HashMap<>();
    private final List<SourceRecord> delivered = new ArrayList<>();
    private Map<String, String> props;
    private T task;

    /** @param tasks makes a fresh task (one per start and restart) */
    public SourceTaskHarness(Supplier<T> tasks) {
        this.tasks = tasks;
    }

    /** Starts a task with {@code props} on the offsets committed so far. */
    public SourceTaskHarness<T> start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        task = tasks.get();
        task.initialize(new Context(props));
        task.start(props);
        return this;
    }

    /** Polls until {@code done} holds for everything delivered so far, or fails after {@code timeout}. */
    public List<SourceRecord> pollUntil(Predicate<List<SourceRecord>> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(delivered)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done after " + timeout + "; delivered " + delivered.size() + " records");
            }
            pollOnce();
        }
        return delivered;
    }

    /** One poll(); its records are delivered and their offsets committed. Returns them (maybe none). */
    public List<SourceRecord> pollOnce() throws InterruptedException {
        List<SourceRecord> batch = task.poll();
        if (batch == null) {
            return List.of();
        }
        for (SourceRecord r : batch) {
            delivered.add(r);
            committed.put(r.sourcePartition(), r.sourceOffset());
        }
        return batch;
    }

    /** Stops the task and starts a new one on the committed offsets (an orderly worker restart). */
    public SourceTaskHarness<T> restart() {
        task.stop();
        return start(props);
    }

    /** Overwrites a committed offset, as {@code PATCH /connectors/{name}/offsets} would. */
    public void commit(Map<String, ?> partition, Map<String, ?> offset) {
        committed.put(partition, offset);
    }

    /** The offset committed for {@code partition}, or null. */
    public Map<String, ?> committed(Map<String, ?> partition) {
        return committed.get(partition);
    }

    /** Every record delivered so far, in order. */
    public List<SourceRecord> delivered() {
        return delivered;
    }

    public T task() {
        return task;
    }

    @Override
    public void close() {
        if (task != null) {
            task.stop();
        }
    }

    private final class Context implements SourceTaskContext {
        private final Map<String, String> configs;

        Context(Map<String, String> configs) {
            this.configs = configs;
        }

        @Override
        public Map<String, String> configs() {
            return configs;
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null; // no worker, no metrics registry
        }

        @Override
        public OffsetStorageReader offsetStorageReader() {
            return new OffsetStorageReader() {
                @Override
                @SuppressWarnings("unchecked")
                public <V> Map<String, Object> offset(Map<String, V> partition) {
                    return (Map<String, Object>) committed.get(partition);
                }

                @Override
                public <V> Map<Map<String, V>, Map<String, Object>> offsets(Collection<Map<String, V>> partitions) {
                    Map<Map<String, V>, Map<String, Object>> out = new HashMap<>();
                    for (Map<String, V> p : partitions) {
                        Map<String, Object> o = offset(p);
                        if (o != null) {
                            out.put(p, o);
                        }
                    }
                    return out;
                }
            };
        }
    }
}

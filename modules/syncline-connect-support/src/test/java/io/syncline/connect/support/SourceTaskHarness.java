package io.syncline.connect.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Runs a {@link SupportSourceTask} the way a Connect worker does: {@code poll()} in a loop, and after each batch the
 * last offset per source partition "committed" (as a worker with exactly-once support commits per poll). A restart is
 * a new task that reads those committed offsets back.
 */
final class SourceTaskHarness implements AutoCloseable {

    private final Map<Map<String, ?>, Map<String, ?>> committed = new HashMap<>();
    private final List<SourceRecord> delivered = new ArrayList<>();
    private Map<String, String> props;
    private SupportSourceTask task;

    SourceTaskHarness start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        task = new SupportSourceTask();
        task.initialize(new Context(props));
        task.start(props);
        return this;
    }

    /** Polls until {@code done} holds for everything delivered so far, or fails after {@code timeout}. */
    List<SourceRecord> pollUntil(Predicate<List<SourceRecord>> done, Duration timeout) throws InterruptedException {
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
    List<SourceRecord> pollOnce() throws InterruptedException {
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
    SourceTaskHarness restart() {
        task.stop();
        return start(props);
    }

    /** Overwrites a committed offset, as a worker that committed less than it delivered would have left it. */
    void commit(Map<String, ?> partition, Map<String, ?> offset) {
        committed.put(partition, offset);
    }

    Map<String, ?> committed(Map<String, ?> partition) {
        return committed.get(partition);
    }

    List<SourceRecord> delivered() {
        return delivered;
    }

    SupportSourceTask task() {
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
        public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
            return null;
        }

        @Override
        public OffsetStorageReader offsetStorageReader() {
            return new OffsetStorageReader() {
                @Override
                @SuppressWarnings("unchecked")
                public <T> Map<String, Object> offset(Map<String, T> partition) {
                    return (Map<String, Object>) committed.get(partition);
                }

                @Override
                public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                    Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
                    for (Map<String, T> p : partitions) {
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

package io.syncline.bench.sink;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * What a worker gives a sink task, minus the consumer, for the sink benches: the assignment (every partition of one
 * topic), pause/resume as a flag the bench's feeding loop reads, no DLQ reporter and no metrics.
 */
final class SinkBenchContext implements SinkTaskContext {
    final AtomicBoolean paused = new AtomicBoolean();
    private final Set<TopicPartition> assignment;

    SinkBenchContext(String topic, int partitions) {
        Set<TopicPartition> tps = new HashSet<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        assignment = Set.copyOf(tps);
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
    }

    @Override
    public void timeout(long timeoutMs) {
    }

    @Override
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    @Override
    public void pause(TopicPartition... partitions) {
        paused.set(true);
    }

    @Override
    public void resume(TopicPartition... partitions) {
        paused.set(false);
    }

    @Override
    public void requestCommit() {
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return null;
    }
}

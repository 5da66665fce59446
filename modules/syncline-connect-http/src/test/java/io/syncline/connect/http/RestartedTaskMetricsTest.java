package io.syncline.connect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A task restarted while the worker still holds the instance it could not stop in time: both register their
 * metrics under the same connector and task tags in the worker's one {@link Metrics} registry, through Kafka's own
 * {@link PluginMetricsImpl}. The new instance used to fail with "A metric named ... already exists".
 */
class RestartedTaskMetricsTest {
    private static final Map<String, String> TASK_TAGS = Map.of("connector", "http-customers", "task", "0");

    private final Metrics worker = new Metrics();

    @AfterEach
    void close() {
        worker.close();
    }

    @Test
    void aNewInstanceStartsBesideOneThatHasNotStoppedAndKeepsItsMetricsWhenTheOldOneGoes() throws Exception {
        PluginMetricsImpl oldMetrics = new PluginMetricsImpl(worker, TASK_TAGS);
        HttpSinkTask old = new HttpSinkTask();
        old.initialize(context(oldMetrics));
        old.start(config());
        MetricName delivered = worker.metrics().keySet().stream()
                .filter(n -> n.name().equals("records-delivered-total")).findFirst().orElseThrow();

        PluginMetricsImpl newMetrics = new PluginMetricsImpl(worker, TASK_TAGS);
        HttpSinkTask restarted = new HttpSinkTask();
        restarted.initialize(context(newMetrics));
        assertThatCode(() -> restarted.start(config())).as("the restarted instance starts").doesNotThrowAnyException();
        assertThat(worker.metrics()).containsKey(delivered);

        // The old instance finally stops, and the worker closes the metrics it gave it.
        old.stop();
        oldMetrics.close();
        assertThat(worker.metrics()).as("the restarted instance's metrics survive the old one's end")
                .containsKey(delivered);
        assertThat(worker.metrics().get(delivered).metricValue()).isEqualTo(0L);

        restarted.stop();
        newMetrics.close();
        assertThat(worker.metrics()).as("nothing left behind once both are gone").doesNotContainKey(delivered);
    }

    private static Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("name", "http-customers");
        c.put("http.url", "http://127.0.0.1:9/v1/customers");
        c.put("outbound.allow.plain.http", "127.0.0.1");
        c.put("outbound.allow.list", "127.0.0.1");
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", "dlq.sink.customers");
        return c;
    }

    private static SinkTaskContext context(PluginMetrics metrics) {
        return new SinkTaskContext() {
            @Override
            public Map<String, String> configs() {
                return config();
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
                return Set.of();
            }

            @Override
            public void pause(TopicPartition... partitions) {
            }

            @Override
            public void resume(TopicPartition... partitions) {
            }

            @Override
            public void requestCommit() {
            }

            @Override
            public ErrantRecordReporter errantRecordReporter() {
                return (record, error) -> CompletableFuture.completedFuture(null);
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return metrics;
            }
        };
    }
}

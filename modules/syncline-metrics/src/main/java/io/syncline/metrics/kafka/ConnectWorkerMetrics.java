package io.syncline.metrics.kafka;

import static io.syncline.metrics.SynclineMetrics.CONNECT_ACCOUNT_BUDGET_LIMIT;
import static io.syncline.metrics.SynclineMetrics.CONNECT_ACCOUNT_BUDGET_RATE_LIMITED;
import static io.syncline.metrics.SynclineMetrics.CONNECT_ACCOUNT_BUDGET_USED;
import static io.syncline.metrics.SynclineMetrics.CONNECT_ACCOUNT_BUDGET_WAITS;
import static io.syncline.metrics.SynclineMetrics.CONNECT_CONSUMER_LAG;
import static io.syncline.metrics.SynclineMetrics.CONNECT_SINK_BUFFERED;
import static io.syncline.metrics.SynclineMetrics.CONNECT_SINK_DEAD_LETTERED;
import static io.syncline.metrics.SynclineMetrics.CONNECT_SINK_DELIVERY_LATENCY;
import static io.syncline.metrics.SynclineMetrics.CONNECT_SINK_RATE_LIMIT_WAIT;
import static io.syncline.metrics.SynclineMetrics.CONNECT_SINK_RATE_LIMIT_WAITS;
import static io.syncline.metrics.SynclineMetrics.CONNECT_SINK_RECORDS_IN;
import static io.syncline.metrics.SynclineMetrics.CONNECT_SINK_RECORDS_OUT;
import static io.syncline.metrics.SynclineMetrics.CONNECT_SINK_REQUESTS;
import static io.syncline.metrics.SynclineMetrics.CONNECT_SINK_RETRIES;
import static io.syncline.metrics.SynclineMetrics.CONNECT_SINK_SKIPPED;
import static io.syncline.metrics.SynclineMetrics.CONNECT_SOURCE_RECORDS_OUT;
import static io.syncline.metrics.SynclineMetrics.CONNECT_SOURCE_RECORDS_POLLED;
import static io.syncline.metrics.SynclineMetrics.CONNECT_TASK_DEAD_LETTERED;
import static io.syncline.metrics.SynclineMetrics.CONNECT_TASK_ERRORS;
import static io.syncline.metrics.SynclineMetrics.CONNECT_TASK_RETRIES;
import static io.syncline.metrics.SynclineMetrics.CONNECT_TASK_RUNNING;
import static io.syncline.metrics.SynclineMetrics.CONNECT_WORKER_CONNECTORS;
import static io.syncline.metrics.SynclineMetrics.CONNECT_WORKER_REBALANCES;
import static io.syncline.metrics.SynclineMetrics.CONNECT_WORKER_TASKS;
import static io.syncline.metrics.SynclineMetrics.NORMALIZER_CONSUMER_LAG;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.MetricName;

/**
 * Which Kafka metrics of a Connect worker (and of its sink tasks' consumers) become which Syncline metrics, and the
 * consumer-lag rule of the normalizer's Kafka Streams client.
 */
public final class ConnectWorkerMetrics {

    /** The group Kafka registers connector and task plugin metrics in (KIP-877). */
    public static final String PLUGIN_GROUP = "plugins";

    /** A sink task's consumer: {@code connector-consumer-<connector>-<task>} (Connect's default client id). */
    private static final Pattern SINK_CONSUMER = Pattern.compile("connector-consumer-(.+)-(\\d+)");

    private ConnectWorkerMetrics() {
    }

    /** The rules for a Connect worker's metrics. */
    public static List<KafkaMetricRule> rules() {
        return List.of(
                KafkaMetricRule.tagged(CONNECT_SOURCE_RECORDS_POLLED, "source-task-metrics", "source-record-poll-total"),
                KafkaMetricRule.tagged(CONNECT_SOURCE_RECORDS_OUT, "source-task-metrics", "source-record-write-total"),
                KafkaMetricRule.tagged(CONNECT_SINK_RECORDS_IN, "sink-task-metrics", "sink-record-read-total"),
                KafkaMetricRule.tagged(CONNECT_TASK_ERRORS, "task-error-metrics", "total-record-errors"),
                KafkaMetricRule.tagged(CONNECT_TASK_RETRIES, "task-error-metrics", "total-retries"),
                KafkaMetricRule.tagged(CONNECT_TASK_DEAD_LETTERED, "task-error-metrics",
                        "deadletterqueue-produce-requests"),
                new KafkaMetricRule(CONNECT_TASK_RUNNING, "connector-task-metrics", "status",
                        KafkaMetricRule.sameTags(CONNECT_TASK_RUNNING), v -> "running".equals(v) ? 1.0 : 0.0),
                KafkaMetricRule.tagged(CONNECT_WORKER_CONNECTORS, "connect-worker-metrics", "connector-count"),
                KafkaMetricRule.tagged(CONNECT_WORKER_TASKS, "connect-worker-metrics", "task-count"),
                KafkaMetricRule.tagged(CONNECT_WORKER_REBALANCES, "connect-worker-rebalance-metrics",
                        "completed-rebalances-total"),
                KafkaMetricRule.tagged(CONNECT_SINK_RECORDS_OUT, PLUGIN_GROUP, "records-delivered-total"),
                KafkaMetricRule.tagged(CONNECT_SINK_DEAD_LETTERED, PLUGIN_GROUP, "records-dead-lettered-total"),
                KafkaMetricRule.tagged(CONNECT_SINK_SKIPPED, PLUGIN_GROUP, "records-skipped-total"),
                KafkaMetricRule.tagged(CONNECT_SINK_REQUESTS, PLUGIN_GROUP, "requests-total"),
                KafkaMetricRule.tagged(CONNECT_SINK_RETRIES, PLUGIN_GROUP, "retries-total"),
                KafkaMetricRule.tagged(CONNECT_SINK_RATE_LIMIT_WAITS, PLUGIN_GROUP, "rate-limit-waits-total"),
                KafkaMetricRule.tagged(CONNECT_SINK_RATE_LIMIT_WAIT, PLUGIN_GROUP, "rate-limit-wait-seconds-total"),
                KafkaMetricRule.tagged(CONNECT_SINK_BUFFERED, PLUGIN_GROUP, "changes-buffered"),
                accountBudget(CONNECT_ACCOUNT_BUDGET_LIMIT, "account-budget-window-requests"),
                accountBudget(CONNECT_ACCOUNT_BUDGET_USED, "account-budget-used"),
                accountBudget(CONNECT_ACCOUNT_BUDGET_WAITS, "account-budget-waits-total"),
                accountBudget(CONNECT_ACCOUNT_BUDGET_RATE_LIMITED, "account-budget-rate-limited-total"),
                new KafkaMetricRule(CONNECT_CONSUMER_LAG, "consumer-fetch-manager-metrics", "records-lag",
                        ConnectWorkerMetrics::sinkConsumerLagLabels, KafkaMetricRule::number));
    }

    /** A task that has not joined its account yet (no call made) reports -1: left out rather than shown as a value. */
    private static KafkaMetricRule accountBudget(io.syncline.metrics.SynclineMetric target, String name) {
        return new KafkaMetricRule(target, PLUGIN_GROUP, name, KafkaMetricRule.sameTags(target), v -> {
            Double d = KafkaMetricRule.number(v);
            return d == null || d < 0 ? null : d;
        });
    }

    /** The histogram rules for a Connect worker's metrics. */
    public static List<KafkaMetricsCollector.HistogramRule> histograms() {
        return List.of(new KafkaMetricsCollector.HistogramRule(CONNECT_SINK_DELIVERY_LATENCY, PLUGIN_GROUP,
                "e2e-latency-seconds"));
    }

    /** The normalizer's consumer lag: {@code records-lag} of its stream threads' main consumers. */
    public static KafkaMetricRule normalizerLag() {
        Function<MetricName, List<String>> labels = m -> {
            String client = m.tags().getOrDefault("client-id", "");
            // Only the main consumers: the restore consumers' lag is changelog catch-up, not unread input.
            if (!client.endsWith("-consumer") || client.endsWith("-restore-consumer")) {
                return null;
            }
            String topic = m.tags().get("topic");
            String partition = m.tags().get("partition");
            return topic == null || partition == null ? null : List.of(topic, partition);
        };
        return new KafkaMetricRule(NORMALIZER_CONSUMER_LAG, "consumer-fetch-manager-metrics", "records-lag", labels,
                KafkaMetricRule::number);
    }

    private static List<String> sinkConsumerLagLabels(MetricName m) {
        Matcher client = SINK_CONSUMER.matcher(m.tags().getOrDefault("client-id", ""));
        String topic = m.tags().get("topic");
        String partition = m.tags().get("partition");
        if (!client.matches() || topic == null || partition == null) {
            return null;
        }
        return List.of(client.group(1), topic, partition);
    }
}

package io.syncline.metrics;

import static io.syncline.metrics.MetricType.COUNTER;
import static io.syncline.metrics.MetricType.GAUGE;
import static io.syncline.metrics.MetricType.HISTOGRAM;
import static io.syncline.metrics.MetricType.SUMMARY;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every metric Syncline's roles expose, in one naming scheme: {@code syncline_<role>_<what>_<unit>}, counters ending
 * in {@code _total}, base units ({@code _seconds}, {@code _bytes}, {@code _records}), labels for endpoint, mapping,
 * connector, task, topic and partition. The roles build their meters from these constants, the Connect bridge maps
 * Kafka's metrics onto them, the Grafana dashboards query only these names, and docs/metrics.md is generated from
 * this list.
 */
public final class SynclineMetrics {

    private static final List<SynclineMetric> ALL = new ArrayList<>();

    // ---- gateway -------------------------------------------------------------------------------------------------

    public static final SynclineMetric GATEWAY_REQUESTS = add("syncline_gateway_requests_total", COUNTER,
            Role.GATEWAY, List.of("endpoint", "status"),
            "Webhook requests by endpoint and HTTP status answered (`endpoint=\"_none\"`: no such endpoint)",
            "the request handler");
    public static final SynclineMetric GATEWAY_VERIFICATION_FAILURES = add(
            "syncline_gateway_verification_failures_total", COUNTER, Role.GATEWAY, List.of("endpoint", "reason"),
            "Requests refused by signature verification, by reason", "the signature verifier");
    public static final SynclineMetric GATEWAY_RECORDS_OUT = add("syncline_gateway_records_out_total", COUNTER,
            Role.GATEWAY, List.of("endpoint", "topic"),
            "Records Kafka acknowledged (acks=all) for accepted webhooks", "the producer callback");
    public static final SynclineMetric GATEWAY_PRODUCE_ERRORS = add("syncline_gateway_produce_errors_total", COUNTER,
            Role.GATEWAY, List.of("endpoint"),
            "Records Kafka did not acknowledge in time or refused (the provider got a 5xx and retries)",
            "the producer callback");
    public static final SynclineMetric GATEWAY_PRODUCE_LATENCY = add("syncline_gateway_produce_latency_seconds",
            HISTOGRAM, Role.GATEWAY, List.of("endpoint"),
            "Time from handing a record to the producer to its acks=all acknowledgement", "the producer callback");
    public static final SynclineMetric GATEWAY_REQUEST_BYTES = add("syncline_gateway_request_bytes", SUMMARY,
            Role.GATEWAY, List.of("endpoint"), "Request body sizes read (bodies over the limit are not counted)",
            "the request handler");

    // ---- normalizer ----------------------------------------------------------------------------------------------

    public static final SynclineMetric NORMALIZER_RECORDS_IN = add("syncline_normalizer_records_in_total", COUNTER,
            Role.NORMALIZER, List.of("mapping", "topic"),
            "Raw records read, per mapping and raw topic (`mapping=\"none\"`: no mapping took it)",
            "the normalize processor");
    public static final SynclineMetric NORMALIZER_RECORDS_OUT = add("syncline_normalizer_records_out_total",
            COUNTER, Role.NORMALIZER, List.of("mapping", "topic"), "Canonical records written", "the normalize processor");
    public static final SynclineMetric NORMALIZER_DROPPED_DUPLICATE = add(
            "syncline_normalizer_dropped_duplicate_total", COUNTER, Role.NORMALIZER, List.of("mapping", "topic"),
            "Records dropped on purpose: event id already seen", "the dedupe store");
    public static final SynclineMetric NORMALIZER_DROPPED_STALE = add("syncline_normalizer_dropped_stale_total",
            COUNTER, Role.NORMALIZER, List.of("mapping", "topic"),
            "Records dropped on purpose: older than the latest version emitted", "the latest-version store");
    public static final SynclineMetric NORMALIZER_VERSION_TIES = add("syncline_normalizer_version_ties_total",
            COUNTER, Role.NORMALIZER, List.of("mapping", "topic"),
            "Records emitted although they tie with the latest version in updated-at and every declared rank",
            "the ranked-versions store");
    public static final SynclineMetric NORMALIZER_DEAD_LETTERED = add("syncline_normalizer_dead_lettered_total",
            COUNTER, Role.NORMALIZER, List.of("mapping", "topic", "reason"),
            "Records sent to `dlq.normalizer`, by the step that failed", "the normalize processor");
    public static final SynclineMetric NORMALIZER_SKIPPED = add("syncline_normalizer_skipped_total", COUNTER,
            Role.NORMALIZER, List.of("mapping", "topic", "reason"),
            "Records skipped on purpose, by reason (`ignored-topic`, `null-value`, `waiting`, `notice`, "
                    + "`unmapped-property`)", "the normalize processor");
    public static final SynclineMetric NORMALIZER_PROCESSING_LATENCY = add(
            "syncline_normalizer_processing_latency_seconds", SUMMARY, Role.NORMALIZER, List.of("mapping"),
            "Time to normalize one record (parse, map, encode)", "the normalize processor");
    public static final SynclineMetric NORMALIZER_CONSUMER_LAG = add("syncline_normalizer_consumer_lag_records",
            GAUGE, Role.NORMALIZER, List.of("topic", "partition"),
            "Raw records not yet read, per partition this instance owns",
            "Kafka Streams' consumer metric `records-lag`");

    // ---- registry ------------------------------------------------------------------------------------------------

    public static final SynclineMetric REGISTRY_REQUESTS = add("syncline_registry_requests_total", COUNTER,
            Role.REGISTRY, List.of("method", "status"), "REST requests by method and HTTP status answered",
            "the registry's HTTP server");
    public static final SynclineMetric REGISTRY_REQUEST_LATENCY = add("syncline_registry_request_latency_seconds",
            SUMMARY, Role.REGISTRY, List.of("method"), "Time to answer a REST request", "the registry's HTTP server");
    public static final SynclineMetric REGISTRY_SCHEMAS = add("syncline_registry_schemas", GAUGE, Role.REGISTRY,
            List.of(), "Schemas (distinct ids) the registry holds", "the registry's store");

    // ---- Connect worker: Kafka Connect's own metrics ----------------------------------------------------------------

    public static final SynclineMetric CONNECT_SOURCE_RECORDS_POLLED = add(
            "syncline_connect_source_records_polled_total", COUNTER, Role.CONNECT, List.of("connector", "task"),
            "Records a source task polled from its provider", kafka("source-task-metrics", "source-record-poll-total"));
    public static final SynclineMetric CONNECT_SOURCE_RECORDS_OUT = add("syncline_connect_source_records_out_total",
            COUNTER, Role.CONNECT, List.of("connector", "task"), "Records a source task wrote to Kafka",
            kafka("source-task-metrics", "source-record-write-total"));
    public static final SynclineMetric CONNECT_SINK_RECORDS_IN = add("syncline_connect_sink_records_in_total",
            COUNTER, Role.CONNECT, List.of("connector", "task"), "Records a sink task read from Kafka",
            kafka("sink-task-metrics", "sink-record-read-total"));
    public static final SynclineMetric CONNECT_TASK_ERRORS = add("syncline_connect_task_errors_total", COUNTER,
            Role.CONNECT, List.of("connector", "task"),
            "Record errors in converters, transforms or the task (tolerated or not)",
            kafka("task-error-metrics", "total-record-errors"));
    public static final SynclineMetric CONNECT_TASK_RETRIES = add("syncline_connect_task_retries_total", COUNTER,
            Role.CONNECT, List.of("connector", "task"), "Operations Connect's error handler retried",
            kafka("task-error-metrics", "total-retries"));
    public static final SynclineMetric CONNECT_TASK_DEAD_LETTERED = add("syncline_connect_task_dead_lettered_total",
            COUNTER, Role.CONNECT, List.of("connector", "task"),
            "Records written to the connector's dead-letter topic (by Connect or the task's errant record reporter)",
            kafka("task-error-metrics", "deadletterqueue-produce-requests"));
    public static final SynclineMetric CONNECT_TASK_RUNNING = add("syncline_connect_task_running", GAUGE,
            Role.CONNECT, List.of("connector", "task"), "1 while the task runs on this worker, 0 otherwise",
            kafka("connector-task-metrics", "status") + " = `running`");
    public static final SynclineMetric CONNECT_WORKER_CONNECTORS = add("syncline_connect_worker_connectors", GAUGE,
            Role.CONNECT, List.of(), "Connectors this worker runs", kafka("connect-worker-metrics", "connector-count"));
    public static final SynclineMetric CONNECT_WORKER_TASKS = add("syncline_connect_worker_tasks", GAUGE,
            Role.CONNECT, List.of(), "Tasks this worker runs", kafka("connect-worker-metrics", "task-count"));
    public static final SynclineMetric CONNECT_WORKER_REBALANCES = add("syncline_connect_worker_rebalances_total",
            COUNTER, Role.CONNECT, List.of(), "Rebalances this worker completed",
            kafka("connect-worker-rebalance-metrics", "completed-rebalances-total"));
    public static final SynclineMetric CONNECT_CONSUMER_LAG = add("syncline_connect_consumer_lag_records", GAUGE,
            Role.CONNECT, List.of("connector", "topic", "partition"),
            "Records a sink has not read yet, per partition its tasks on this worker own",
            kafka("consumer-fetch-manager-metrics", "records-lag")
                    + " of the sink's consumer (`consumer.metric.reporters`)");

    // ---- Connect worker: Syncline's sinks (plugin metrics of the delivery library) ------------------------------------

    public static final SynclineMetric CONNECT_SINK_RECORDS_OUT = add("syncline_connect_sink_records_out_total",
            COUNTER, Role.CONNECT, List.of("connector", "task"), "Records delivered to the target (acknowledged)",
            plugin("records-delivered-total"));
    public static final SynclineMetric CONNECT_SINK_DEAD_LETTERED = add("syncline_connect_sink_dead_lettered_total",
            COUNTER, Role.CONNECT, List.of("connector", "task"),
            "Records the target rejected, handed to the dead-letter queue with the response",
            plugin("records-dead-lettered-total"));
    public static final SynclineMetric CONNECT_SINK_SKIPPED = add("syncline_connect_sink_skipped_total", COUNTER,
            Role.CONNECT, List.of("connector", "task"),
            "Records finished on purpose without a write (stale versions, tombstones, ...)",
            plugin("records-skipped-total"));
    public static final SynclineMetric CONNECT_SINK_REQUESTS = add("syncline_connect_sink_requests_total", COUNTER,
            Role.CONNECT, List.of("connector", "task"), "HTTP requests to the target that ended (retries not counted)",
            plugin("requests-total"));
    public static final SynclineMetric CONNECT_SINK_RETRIES = add("syncline_connect_sink_retries_total", COUNTER,
            Role.CONNECT, List.of("connector", "task"),
            "HTTP attempts retried (408, 425, 429, 5xx, timeouts, resets; Retry-After honoured)",
            plugin("retries-total"));
    public static final SynclineMetric CONNECT_SINK_RATE_LIMIT_WAITS = add(
            "syncline_connect_sink_rate_limit_waits_total", COUNTER, Role.CONNECT, List.of("connector", "task"),
            "Requests that waited for the sink's rate limit", plugin("rate-limit-waits-total"));
    public static final SynclineMetric CONNECT_SINK_RATE_LIMIT_WAIT = add(
            "syncline_connect_sink_rate_limit_wait_seconds_total", COUNTER, Role.CONNECT,
            List.of("connector", "task"), "Time requests spent waiting for the sink's rate limit",
            plugin("rate-limit-wait-seconds-total"));
    public static final SynclineMetric CONNECT_SINK_BUFFERED = add("syncline_connect_sink_changes_buffered", GAUGE,
            Role.CONNECT, List.of("connector", "task"), "Changes queued or in flight in the task",
            plugin("changes-buffered"));
    public static final SynclineMetric CONNECT_SINK_DELIVERY_LATENCY = add(
            "syncline_connect_sink_delivery_latency_seconds", HISTOGRAM, Role.CONNECT, List.of("connector", "task"),
            "End to end: from Syncline receiving the change from its provider (`metadata.ingested_at`) to the "
                    + "target acknowledging the write",
            plugin("e2e-latency-seconds-bucket") + " (`le`), `-sum`, `-count`");

    // ---- Connect worker: shared account budgets (plugin metrics of every task that draws from one) -----------------

    public static final SynclineMetric CONNECT_ACCOUNT_BUDGET_LIMIT = add(
            "syncline_connect_account_budget_limit_requests", GAUGE, Role.CONNECT, List.of("connector", "task"),
            "Requests per window the provider account this task calls allows; every connector of one plugin in the "
                    + "worker calling the same account (base URL and credential) shares the window (docs/http.md)",
            plugin("account-budget-window-requests") + "; its window in `account-budget-window-ms`, the account "
                    + "in the text gauge `account-budget-account`");
    public static final SynclineMetric CONNECT_ACCOUNT_BUDGET_USED = add(
            "syncline_connect_account_budget_used_requests", GAUGE, Role.CONNECT, List.of("connector", "task"),
            "Requests spent in the account's current window, by all its users (the same value on each of them)",
            plugin("account-budget-used"));
    public static final SynclineMetric CONNECT_ACCOUNT_BUDGET_WAITS = add(
            "syncline_connect_account_budget_waits_total", COUNTER, Role.CONNECT, List.of("connector", "task"),
            "Times a request of any user found the account's window full and waited",
            plugin("account-budget-waits-total"));
    public static final SynclineMetric CONNECT_ACCOUNT_BUDGET_RATE_LIMITED = add(
            "syncline_connect_account_budget_rate_limited_total", COUNTER, Role.CONNECT,
            List.of("connector", "task"), "429 answers the provider gave any user of the account (each pauses all)",
            plugin("account-budget-rate-limited-total"));

    private SynclineMetrics() {
    }

    private static SynclineMetric add(String name, MetricType type, Role role, List<String> labels, String help,
                                      String source) {
        SynclineMetric m = new SynclineMetric(name, type, role, labels, help, source);
        for (SynclineMetric other : ALL) {
            if (other.name().equals(name)) {
                throw new IllegalStateException("metric " + name + " declared twice");
            }
        }
        ALL.add(m);
        return m;
    }

    private static String kafka(String group, String name) {
        return "Kafka metric `" + group + "` / `" + name + "`";
    }

    private static String plugin(String name) {
        return "plugin metric `" + name + "` (group `plugins`)";
    }

    /** Every metric, in declaration order (grouped by role). */
    public static List<SynclineMetric> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The metrics {@code role} exposes. */
    public static List<SynclineMetric> of(Role role) {
        return ALL.stream().filter(m -> m.role() == role).toList();
    }

    /** The metric called {@code name}, or an error naming the known ones of its role. */
    public static SynclineMetric named(String name) {
        return ALL.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no Syncline metric is called " + name + "; see docs/metrics.md"));
    }

    /** The Markdown tables of docs/metrics.md: one per role, with where to scrape it. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        for (Role role : Role.values()) {
            out.append("### ").append(role.prefix()).append("\n\n").append(role.endpoint()).append(".\n\n")
                    .append("| metric | type | labels | what | from |\n|---|---|---|---|---|\n");
            for (SynclineMetric m : of(role)) {
                out.append("| `").append(m.name()).append("` | ").append(m.type().prometheus()).append(" | ")
                        .append(m.labels().isEmpty() ? "" : "`" + String.join("`, `", m.labels()) + "`")
                        .append(" | ").append(m.help().replace("|", "\\|")).append(" | ")
                        .append(m.source().replace("|", "\\|")).append(" |\n");
            }
            out.append('\n');
        }
        return out.toString().strip() + "\n";
    }
}

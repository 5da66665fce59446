package io.syncline.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.syncline.connect.common.EnumValues;
import io.syncline.connect.common.TaskMetrics;
import io.syncline.http.SynclineHttpClient;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink task every Syncline HTTP sink extends: it owns the shared HTTP client, the {@link DeliveryEngine}, the
 * {@link OffsetTracker} and {@link VersionGate}, writes rejected records to the dead-letter queue on the task thread,
 * applies backpressure, commits only safe offsets ({@link #preCommit}) and fails the task when delivery cannot go on.
 * A subclass turns each record into changes ({@link #handle}) and says how its requests look ({@link #deliverer}).
 *
 * <p>Every record a task takes ends delivered, dead-lettered, or skipped with a counted reason.
 */
public abstract class DeliverySinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(DeliverySinkTask.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** How long put() waits for the lanes to catch up before pausing consumption. */
    private static final Duration BACKPRESSURE_WAIT = Duration.ofSeconds(1);

    protected AbstractConfig config;
    protected DeliveryStats stats;
    protected OffsetTracker tracker;
    protected VersionGate versions;
    protected DeliveryEngine engine;
    protected SynclineHttpClient http;
    protected String connectorName;
    private DeadLetters deadLetters;
    private DeliveryConfig.PermanentFailure onPermanentFailure;
    private int maxBuffered;
    private Duration drainTimeout;
    private boolean paused;
    private TaskMetrics metrics;

    /** Parses and checks the task's configuration (the connector passes its own). */
    protected abstract AbstractConfig parseConfig(Map<String, String> props);

    /** The deliverer for this sink's requests. */
    protected abstract Deliverer deliverer(SynclineHttpClient http);

    /** The engine settings for this sink (lanes, batching). */
    protected abstract DeliveryEngine.Settings engineSettings(String name);

    /**
     * Turns one record into work: {@link #submit}, {@link #skip}, {@link #hold} or {@link #deadLetterNow} it.
     * Called on the task thread, in offset order per partition.
     */
    protected abstract void handle(SinkRecord record);

    /** Called after the engine started; a subclass restores state here. */
    protected void onStart() {
    }

    /** Called by {@link #put} after the records were handled; a subclass releases or expires held records here. */
    protected void afterPut() {
    }

    @Override
    public void start(Map<String, String> props) {
        config = parseConfig(props);
        connectorName = props.getOrDefault("name", "sink");
        String name = connectorName + "-" + INSTANCES.incrementAndGet();
        stats = new DeliveryStats();
        tracker = new OffsetTracker();
        versions = new VersionGate(config.getInt(DeliveryConfig.VERSION_CACHE_SIZE));
        onPermanentFailure = EnumValues.parse(DeliveryConfig.PermanentFailure.class,
                config.getString(DeliveryConfig.PERMANENT_FAILURE));
        maxBuffered = config.getInt(DeliveryConfig.MAX_BUFFERED);
        drainTimeout = Duration.ofMillis(config.getLong(DeliveryConfig.DRAIN_TIMEOUT_MS));
        ErrantRecordReporter reporter = errantRecordReporter();
        if (onPermanentFailure == DeliveryConfig.PermanentFailure.DLQ && reporter == null) {
            throw new ConnectException(DeliveryConfig.PERMANENT_FAILURE + "=dlq needs a worker with a dead-letter "
                    + "queue for this connector (" + DeliveryConfig.ERRORS_TOLERANCE + "=all and "
                    + DeliveryConfig.ERRORS_DLQ_TOPIC + "); this worker offers no errant record reporter");
        }
        deadLetters = new DeadLetters(reporter, connectorName, stats);
        http = DeliveryConfig.httpClient(config, name, stats);
        try {
            engine = new DeliveryEngine(engineSettings(name), deliverer(http), tracker, stats);
            registerMetrics();
            onStart();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        LOG.debug("{}: started", name);
    }

    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context == null ? null : context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError oldWorker) {
            return null;
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        failIfFatal();
        reportDeadLetters();
        for (SinkRecord record : records) {
            handle(record);
        }
        afterPut();
        reportDeadLetters();
        backpressure();
        failIfFatal();
    }

    /** Queues a change; its records are unfinished until it is delivered or dead-lettered. */
    protected final void submit(Change change) {
        for (SinkRecord r : change.records()) {
            tracker.register(r);
        }
        engine.submit(change);
    }

    /** Keeps a record unfinished without sending anything yet (it waits for related data). */
    protected final void hold(SinkRecord record) {
        tracker.register(record);
    }

    /** Finishes a record on purpose without sending it, counted under {@code reason}. */
    protected final void skip(SinkRecord record, String reason) {
        stats.skip(reason);
        tracker.complete(record);
        LOG.debug("{}: skipped {}-{}@{} ({})", connectorName, record.topic(), record.kafkaPartition(),
                record.kafkaOffset(), reason);
    }

    /** Dead-letters records on the task thread now (a record that cannot become a request). */
    protected final void deadLetterNow(List<SinkRecord> records, DeliveryFailure failure) {
        deadLetter(new DeadLetter(records, failure, Instant.now()));
    }

    private void reportDeadLetters() {
        DeadLetter d;
        while ((d = engine.pollDeadLetter()) != null) {
            deadLetter(d);
        }
    }

    private void deadLetter(DeadLetter d) {
        if (onPermanentFailure == DeliveryConfig.PermanentFailure.FAIL) {
            throw new ConnectException("the target rejected a change (" + d.failure().reason() + ") and "
                    + DeliveryConfig.PERMANENT_FAILURE + "=fail: " + d.failure().message());
        }
        deadLetters.report(d.records(), d.failure(), d.firstSeen());
        for (SinkRecord r : d.records()) {
            tracker.complete(r);
        }
        LOG.debug("{}: dead-lettered {} record(s): {}", connectorName, d.records().size(), d.failure().message());
    }

    private void backpressure() {
        if (engine.buffered() > maxBuffered) {
            try {
                engine.awaitBufferedAtMost(maxBuffered / 2, BACKPRESSURE_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        boolean full = engine.buffered() > maxBuffered;
        if (full && !paused) {
            context.pause(context.assignment().toArray(new TopicPartition[0]));
            paused = true;
            LOG.debug("{}: {} changes buffered, pausing consumption", connectorName, engine.buffered());
        } else if (paused && engine.buffered() <= maxBuffered / 2) {
            context.resume(context.assignment().toArray(new TopicPartition[0]));
            paused = false;
        }
    }

    private void failIfFatal() {
        engine.fatal().ifPresent(f -> {
            throw new ConnectException(f.message());
        });
    }

    /** Commits only below each partition's lowest unfinished record, so a restart re-delivers what was not done. */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        return tracker.safeOffsets(currentOffsets);
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // Nothing to flush: preCommit reports what is done, and delivery never waits for a commit.
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        if (paused) {
            context.pause(partitions.toArray(new TopicPartition[0]));
        }
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        if (engine == null) {
            return;
        }
        try {
            if (!engine.revoke(partitions, drainTimeout)) {
                LOG.warn("{}: requests for revoked partitions {} were still in flight after {} ms", connectorName,
                        partitions, drainTimeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tracker.forget(partitions);
        versions.forget(partitions);
    }

    /** The partition a record was consumed from (before any transform renamed its topic). */
    protected static TopicPartition partitionOf(SinkRecord record) {
        return OffsetTracker.partitionOf(record);
    }

    @Override
    public void stop() {
        if (engine != null) {
            engine.close();
        }
        if (http != null) {
            http.close();
        }
        if (engine != null) {
            try {
                engine.awaitTermination(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        unregisterMetrics();
        LOG.debug("{}: stopped ({})", connectorName, stats);
    }

    @Override
    public String version() {
        return Version.get();
    }

    /** What the task did so far. */
    public DeliveryStats stats() {
        return stats;
    }

    /** The engine (benchmarks and tests wait on it). */
    public DeliveryEngine engine() {
        return engine;
    }


    private void registerMetrics() {
        metrics = TaskMetrics.of(() -> context == null ? null : context.pluginMetrics(), connectorName);
        gauge("records-delivered-total", "Records delivered to the target", stats::delivered);
        gauge("records-dead-lettered-total", "Records written to the dead-letter queue", stats::deadLettered);
        gauge("records-skipped-total", "Records skipped on purpose (stale versions, tombstones, ...)",
                stats::skipped);
        gauge("requests-total", "HTTP requests that ended", stats::requests);
        gauge("retries-total", "HTTP attempts that were retried", stats::retries);
        gauge("changes-buffered", "Changes queued or in flight", () -> (long) engine.buffered());
        gauge("e2e-latency-p50-ms", "Median over the last minute of the time from Syncline receiving a change "
                + "(metadata.ingested_at) to the target acknowledging it; -1 without data", () -> stats.endToEnd()
                .percentile(0.5));
        gauge("e2e-latency-p99-ms", "99th percentile of the same", () -> stats.endToEnd().percentile(0.99));
        gauge("e2e-latency-count", "Changes the latency percentiles are over", () -> stats.endToEnd().count());
        gauge("rate-limit-waits-total", "Requests that waited for the rate limit", stats::rateLimitWaits);
        gauge("rate-limit-wait-seconds-total", "Seconds requests waited for the rate limit", Map.of(),
                stats::rateLimitWaitSeconds);
        // The end-to-end histogram in Prometheus' form (one cumulative count per upper bound, in seconds), which a
        // worker's metrics endpoint exposes as syncline_connect_sink_delivery_latency_seconds (docs/metrics.md).
        LatencyHistogram h = stats.endToEndHistogram();
        for (int i = 0; i < h.size(); i++) {
            int bucket = i;
            gauge("e2e-latency-seconds-bucket", "Changes delivered end to end within le seconds",
                    Map.of("le", h.le(i)), () -> h.cumulative(bucket));
        }
        gauge("e2e-latency-seconds-count", "Changes with an end-to-end latency", Map.of(), h::count);
        gauge("e2e-latency-seconds-sum", "Their end-to-end latencies added up, in seconds", Map.of(), h::sumSeconds);
        // The account window this sink shares with other connectors of the account (a source among them), as every
        // task that draws from one reports it.
        io.syncline.http.AccountBudgetGauges.register(metrics::gauge, () -> io.syncline.http.AccountBudgetGauges
                .of(http));
    }

    private void gauge(String name, String description, Supplier<Long> value) {
        metrics.gauge(name, description, value);
    }

    private void gauge(String name, String description, Map<String, String> tags, Supplier<? extends Number> value) {
        metrics.gauge(name, description, tags, value);
    }

    private void unregisterMetrics() {
        if (metrics != null) {
            metrics.close();
        }
    }
}

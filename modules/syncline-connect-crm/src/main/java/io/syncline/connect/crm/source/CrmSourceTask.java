package io.syncline.connect.crm.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.connect.common.TaskMetrics;
import io.syncline.http.AccountBudgetGauges;
import io.syncline.http.AccountBudgets;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the object types the connector gave this task ({@code task.objects}), each as an {@link ObjectStream} that
 * resumes from its own Connect offset, taking turns so that one busy type does not starve the others.
 *
 * <p>{@link #poll()} does the next due step and returns its records; when nothing is due it waits (at most a second,
 * so the worker gets control back regularly) and returns null. {@link #stop()} wakes it and aborts requests in flight.
 *
 * <p>The task publishes the account's shared request budget as plugin metrics ({@code account-budget-*}), which
 * {@code syncline status} shows: the CRM sink of the same account in this worker draws from the same window.
 */
public final class CrmSourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(CrmSourceTask.class);
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition();
    private volatile boolean stopping;
    private HubSpotApi api;
    private List<ObjectStream> streams = List.of();
    private int next;
    private TaskMetrics metrics;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        CrmSourceConfig config = CrmSourceConfig.forTask(props);
        String connector = props.getOrDefault("name", "crm-source");
        List<CrmObjectType> types = config.taskObjects();
        api = new HubSpotApi(config, connector + "-" + String.join("+", types.stream().map(CrmObjectType::singular)
                .toList()), OutboundHttpConfig.retryPolicy(config));
        streams = streams(config, connector, types, restoredOffsets(types));
        registerMetrics();
    }

    /** Opens one stream per object type, each at its stored offset (or at the beginning). */
    List<ObjectStream> streams(CrmSourceConfig config, String connector, List<CrmObjectType> types,
                               Map<CrmObjectType, SourceOffset> restored) {
        RawRecords records = new RawRecords(connector, config);
        long now = System.nanoTime();
        List<ObjectStream> out = new ArrayList<>();
        for (CrmObjectType t : types) {
            out.add(new ObjectStream(t, restored.get(t), api, records, config, OutboundHttpConfig.retryPolicy(config),
                    now));
        }
        return List.copyOf(out);
    }

    private Map<CrmObjectType, SourceOffset> restoredOffsets(List<CrmObjectType> types) {
        Collection<Map<String, String>> partitions = types.stream().map(SourceOffset::partition).toList();
        Map<Map<String, String>, Map<String, Object>> stored = context.offsetStorageReader().offsets(partitions);
        Map<CrmObjectType, SourceOffset> out = new HashMap<>();
        for (CrmObjectType t : types) {
            Map<String, Object> offset = stored == null ? null : stored.get(SourceOffset.partition(t));
            if (offset != null) {
                SourceOffset restored = SourceOffset.fromMap(t, offset);
                LOG.debug("{}: resuming from {}", t.singular(), restored);
                out.put(t, restored);
            }
        }
        return out;
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        long deadline = System.nanoTime() + MAX_WAIT_NANOS;
        while (!stopping) {
            long now = System.nanoTime();
            long earliest = Long.MAX_VALUE;
            for (int i = 0; i < streams.size() && !stopping; i++) {
                int index = (next + i) % streams.size();
                ObjectStream stream = streams.get(index);
                if (stream.dueAtNanos() - now <= 0) {
                    List<SourceRecord> records = stream.step(now);
                    if (!records.isEmpty()) {
                        next = (index + 1) % streams.size();
                        return records;
                    }
                    now = System.nanoTime();
                }
                earliest = Math.min(earliest, stream.dueAtNanos() - now);
            }
            if (deadline - now <= 0) {
                return null;
            }
            long wait = Math.min(earliest, deadline - now);
            if (wait > 0) {
                awaitStop(wait);
            }
        }
        return null;
    }

    private void awaitStop(long nanos) throws InterruptedException {
        lock.lock();
        try {
            if (!stopping) {
                stopped.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void stop() {
        stopping = true;
        lock.lock();
        try {
            stopped.signalAll();
        } finally {
            lock.unlock();
        }
        unregisterMetrics();
        if (api != null) {
            // Wakes retries that are waiting and aborts requests in flight; poll() then returns. Leaves the account's
            // budgets.
            api.close();
        }
    }

    /** The streams of this task (for tests). */
    List<ObjectStream> streams() {
        return streams;
    }

    // ------------------------------------------------------------------ metrics

    private void registerMetrics() {
        metrics = TaskMetrics.of(() -> context == null ? null : context.pluginMetrics(), "crm-source");
        gauge("records-objects-total", "Live objects written (backfill and changes)",
                () -> streams.stream().mapToLong(ObjectStream::objectsWritten).sum());
        gauge("records-deletes-total", "Archived objects written as deletes",
                () -> streams.stream().mapToLong(ObjectStream::deletesWritten).sum());
        gauge("records-merge-retirements-total", "Merged-away ids retired",
                () -> streams.stream().mapToLong(ObjectStream::retirementsWritten).sum());
        gauge("searches-total", "Search requests", () -> streams.stream().mapToLong(ObjectStream::searches).sum());
        AccountBudgetGauges.register(this::gauge, this::budget);
    }

    /** The account window of the HubSpot API this task calls (joined on its first call). */
    private java.util.Optional<AccountBudgets.Snapshot> budget() {
        HubSpotApi a = api;
        return a == null ? java.util.Optional.empty() : AccountBudgetGauges.of(a.http());
    }

    private <T> void gauge(String name, String description, Supplier<T> value) {
        metrics.gauge(name, description, value);
    }

    private void unregisterMetrics() {
        if (metrics != null) {
            metrics.close();
        }
    }
}

package io.syncline.connect.support;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.syncline.connect.common.OutboundHttpConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the exports of the object types the connector gave this task ({@code task.objects}), each as an
 * {@link ExportStream} that resumes from its own Connect offset, taking turns so that one busy type does not starve
 * the others.
 *
 * <p>{@link #poll()} reads the next due page and returns its records; when nothing is due it waits (at most a second,
 * so the worker gets control back regularly) and returns null. {@link #stop()} wakes it and aborts requests in flight.
 */
public final class SupportSourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(SupportSourceTask.class);
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition();
    private volatile boolean stopping;
    private ZendeskExports api;
    private List<ExportStream> streams = List.of();
    private int next;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        SupportSourceConfig config = SupportSourceConfig.forTask(props);
        String connector = props.getOrDefault("name", "support");
        List<ZendeskObject> objects = config.taskObjects();
        api = new ZendeskExports(config, connector + "-" + String.join("+", objects.stream()
                .map(ZendeskObject::apiName).toList()), OutboundHttpConfig.retryPolicy(config));
        SupportRecords records = new SupportRecords(connector, config);
        Map<ZendeskObject, ExportOffset> restored = restoredOffsets(objects);
        long now = System.nanoTime();
        List<ExportStream> out = new ArrayList<>();
        for (ZendeskObject o : objects) {
            out.add(new ExportStream(o, restored.get(o), api, records, config, OutboundHttpConfig.retryPolicy(config),
                    Clock.systemUTC(), now));
        }
        streams = List.copyOf(out);
    }

    private Map<ZendeskObject, ExportOffset> restoredOffsets(List<ZendeskObject> objects) {
        Collection<Map<String, String>> partitions = objects.stream().map(ExportOffset::partition).toList();
        Map<Map<String, String>, Map<String, Object>> stored = context.offsetStorageReader().offsets(partitions);
        Map<ZendeskObject, ExportOffset> out = new HashMap<>();
        for (ZendeskObject o : objects) {
            Map<String, Object> offset = stored == null ? null : stored.get(ExportOffset.partition(o));
            if (offset != null) {
                ExportOffset restored = ExportOffset.fromMap(o, offset);
                LOG.debug("{}: resuming from {}", o.apiName(), restored);
                out.put(o, restored);
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
                ExportStream stream = streams.get(index);
                if (stream.dueAtNanos() - now <= 0) {
                    List<SourceRecord> records = stream.step(now);
                    if (!records.isEmpty()) {
                        next = (index + 1) % streams.size();
                        return records;
                    }
                    now = System.nanoTime();
                }
                earliest = Math.min(earliest, stream.dueAtNanos());
            }
            if (deadline - now <= 0) {
                return null;
            }
            long wait = Math.min(earliest - now, deadline - now);
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
        if (api != null) {
            // Wakes retries and rate-limit waits and aborts requests in flight; poll() then returns.
            api.close();
        }
    }

    /** The streams of this task (for tests). */
    List<ExportStream> streams() {
        return streams;
    }
}

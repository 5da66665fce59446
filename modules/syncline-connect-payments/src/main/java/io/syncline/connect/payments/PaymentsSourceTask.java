package io.syncline.connect.payments;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the object types the connector gave this task ({@code task.objects}), each as an {@link ObjectStream} that
 * resumes from its own Connect offset, taking turns so that one busy type does not starve the others.
 *
 * <p>{@link #poll()} does the next due step and returns its records; when nothing is due it waits (at most a second,
 * so the worker gets control back regularly) and returns null. {@link #stop()} wakes it and aborts requests in flight.
 */
public final class PaymentsSourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentsSourceTask.class);
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition();
    private volatile boolean stopping;
    private StripeApi api;
    private List<ObjectStream> streams = List.of();
    private int next;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        PaymentsSourceConfig config = PaymentsSourceConfig.forTask(props);
        String connector = props.getOrDefault("name", "payments");
        List<StripeObject> objects = config.taskObjects();
        api = new StripeApi(config, connector + "-" + String.join("+", objects.stream().map(StripeObject::apiName)
                .toList()), StripeApi.retryPolicy(config));
        streams = streams(config, connector, objects, restoredOffsets(objects));
    }

    /** Opens one stream per object type, each at its stored offset (or at the beginning). */
    List<ObjectStream> streams(PaymentsSourceConfig config, String connector, List<StripeObject> objects,
                               Map<StripeObject, StreamOffset> restored) {
        RawRecords records = new RawRecords(connector, config);
        long now = System.nanoTime();
        List<ObjectStream> out = new ArrayList<>();
        for (StripeObject o : objects) {
            out.add(new ObjectStream(o, restored.get(o), api, records, config, StripeApi.retryPolicy(config),
                    Clock.systemUTC(), now));
        }
        return List.copyOf(out);
    }

    private Map<StripeObject, StreamOffset> restoredOffsets(List<StripeObject> objects) {
        Collection<Map<String, String>> partitions = objects.stream().map(StreamOffset::partition).toList();
        Map<Map<String, String>, Map<String, Object>> stored = context.offsetStorageReader().offsets(partitions);
        Map<StripeObject, StreamOffset> out = new HashMap<>();
        for (StripeObject o : objects) {
            Map<String, Object> offset = stored == null ? null : stored.get(StreamOffset.partition(o));
            if (offset != null) {
                StreamOffset restored = StreamOffset.fromMap(o, offset);
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
                ObjectStream stream = streams.get(index);
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
            long wait = Math.min(earliest - now, deadline - now);
            if (deadline - now <= 0) {
                return null;
            }
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
            // Wakes retries that are waiting and aborts requests in flight; poll() then returns.
            api.close();
        }
    }

    /** The streams of this task (for tests and metrics). */
    List<ObjectStream> streams() {
        return streams;
    }
}

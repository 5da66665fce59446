package io.syncline.connect.common.source;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.syncline.connect.common.PluginVersion;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generic half of a Syncline polling source task: it takes turns over the {@link PolledStream}s a subclass opens
 * (one per object type of {@code task.objects}), so that one busy type does not starve the others, and owns stopping.
 * The subclass keeps only what is provider-specific: building its API client and streams, and closing the client.
 *
 * <p>{@link #poll()} does the next due step and returns its records; when nothing is due it waits (at most a second,
 * so the worker gets control back regularly) and returns null. {@link #stop()} wakes it and calls
 * {@link #abort()}, which closes the client so that retries waiting and requests in flight end too.
 *
 * <p>Kafka's {@code FileStreamSourceTask} and Debezium's {@code BaseSourceTask} draw the same line: the loop and its
 * lifecycle in one place, the reading of one source behind it.
 *
 * @param <S> the provider's stream type
 */
public abstract class PollingSourceTask<S extends PolledStream> extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(PollingSourceTask.class);
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition();
    private volatile boolean stopping;
    private volatile List<S> streams = List.of();
    private int next;

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    /** Opens this task's streams ({@link #open}); a subclass that overrides it calls this first. */
    @Override
    public void start(Map<String, String> props) {
        streams = List.copyOf(open(props));
    }

    /**
     * Builds the provider's client and one stream per object type of this task, each at its stored offset (see
     * {@link #restoredOffsets}).
     */
    protected abstract List<S> open(Map<String, String> props);

    /** Closes the provider's client: wakes retries and rate-limit waits and aborts requests in flight. */
    protected abstract void abort();

    @Override
    public final List<SourceRecord> poll() throws InterruptedException {
        long deadline = System.nanoTime() + MAX_WAIT_NANOS;
        List<S> turns = streams;
        while (!stopping) {
            long now = System.nanoTime();
            long earliest = Long.MAX_VALUE;
            for (int i = 0; i < turns.size() && !stopping; i++) {
                int index = (next + i) % turns.size();
                S stream = turns.get(index);
                if (stream.dueAtNanos() - now <= 0) {
                    List<SourceRecord> records = stream.step(now);
                    if (!records.isEmpty()) {
                        next = (index + 1) % turns.size();
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

    /** Wakes a waiting {@link #poll()}, which then returns, and {@link #abort()}s the client. */
    @Override
    public void stop() {
        stopping = true;
        lock.lock();
        try {
            stopped.signalAll();
        } finally {
            lock.unlock();
        }
        abort();
    }

    /** The streams of this task, in turn order (for tests and metrics). */
    protected List<S> streams() {
        return streams;
    }

    /**
     * The offsets Connect stored for {@code objects}, by object; an object without one is absent (it starts from the
     * beginning).
     *
     * @param partition the source partition of an object
     * @param fromMap   reads a stored offset, throwing when it is not one this connector wrote
     * @param name      the object's name, for the log
     */
    protected final <T, O> Map<T, O> restoredOffsets(List<T> objects, Function<T, Map<String, String>> partition,
                                                     BiFunction<T, Map<String, Object>, O> fromMap,
                                                     Function<T, String> name) {
        Collection<Map<String, String>> partitions = objects.stream().map(partition).toList();
        Map<Map<String, String>, Map<String, Object>> stored = context.offsetStorageReader().offsets(partitions);
        Map<T, O> out = new HashMap<>();
        for (T o : objects) {
            Map<String, Object> offset = stored == null ? null : stored.get(partition.apply(o));
            if (offset != null) {
                O restored = fromMap.apply(o, offset);
                LOG.debug("{}: resuming from {}", name.apply(o), restored);
                out.put(o, restored);
            }
        }
        return out;
    }

    /** The task's client name for logs and the account's budget: the connector's name and its object types. */
    protected static <T> String clientName(String connector, List<T> objects, Function<T, String> name) {
        return connector + "-" + String.join("+", objects.stream().map(name).toList());
    }
}

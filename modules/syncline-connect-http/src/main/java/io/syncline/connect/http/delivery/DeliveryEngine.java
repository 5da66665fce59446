package io.syncline.connect.http.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery engine every Syncline sink shares: changes are sharded by ordering key onto N lanes (N may exceed the
 * partition count), each lane sends one request at a time, so changes of one key go out one at a time and in order,
 * while a key that is retrying holds up only its own lane. Batchable changes for the same target are grouped per lane
 * (max records, max bytes, max wait), never two of the same key in one batch.
 *
 * <p>Outcomes: delivered changes complete their records in the {@link OffsetTracker}; rejected ones wait in
 * {@link #pollDeadLetter()} for the task thread to report them (and then complete them); a fatal failure stops every
 * lane and is surfaced by {@link #fatal()}, leaving the unfinished records uncommitted for the next attempt.
 */
public final class DeliveryEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);

    /**
     * Engine settings.
     *
     * @param name for thread names, e.g. the connector task's name
     * @param lanes how many requests may be in flight at once (each lane one)
     * @param maxBatchRecords most changes per batch request (1 turns batching off)
     * @param maxBatchBytes most bytes of batch items per request
     * @param maxBatchWait how long a lane waits for more changes to fill a batch
     */
    public record Settings(String name, int lanes, int maxBatchRecords, int maxBatchBytes, Duration maxBatchWait) {
        public Settings {
            Objects.requireNonNull(name, "name");
            if (lanes < 1 || maxBatchRecords < 1 || maxBatchBytes < 1) {
                throw new IllegalArgumentException("lanes, max batch records and max batch bytes must be positive");
            }
            if (maxBatchWait == null || maxBatchWait.isNegative()) {
                throw new IllegalArgumentException("max batch wait must be zero or positive, got " + maxBatchWait);
            }
        }
    }

    private final Settings settings;
    private final Deliverer deliverer;
    private final OffsetTracker tracker;
    private final DeliveryStats stats;
    private final Lane[] lanes;
    private final ConcurrentLinkedQueue<DeadLetter> deadLetters = new ConcurrentLinkedQueue<>();
    private final AtomicReference<DeliveryFailure> fatal = new AtomicReference<>();
    private final AtomicInteger buffered = new AtomicInteger();
    /** Partitions a {@link #revoke} is letting go of; a lane drops their cancelled changes instead of requeuing them. */
    private volatile Set<TopicPartition> revoking = Set.of();
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition idle = idleLock.newCondition();
    private volatile boolean closed;

    /** Starts the lanes. */
    public DeliveryEngine(Settings settings, Deliverer deliverer, OffsetTracker tracker, DeliveryStats stats) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.deliverer = Objects.requireNonNull(deliverer, "deliverer");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.lanes = new Lane[settings.lanes()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(i);
        }
        for (Lane lane : lanes) {
            lane.thread.start();
        }
    }

    /**
     * Queues a change on its key's lane. The caller registered its records in the tracker already.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public void submit(Change change) {
        if (closed) {
            throw new IllegalStateException("the delivery engine of " + settings.name() + " is closed");
        }
        buffered.incrementAndGet();
        lanes[laneOf(change.orderingKey(), lanes.length)].enqueue(new Queued(change, Instant.now(), System.nanoTime()));
    }

    /** The lane a key belongs to: a spread of its hash, so similar keys (ids with a common prefix) spread evenly. */
    static int laneOf(String key, int laneCount) {
        int h = key.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return Math.floorMod(h, laneCount);
    }

    /** Changes queued or in flight. */
    public int buffered() {
        return buffered.get();
    }

    /** The next record batch rejected by the target, for the task thread to dead-letter, or null. */
    public DeadLetter pollDeadLetter() {
        return deadLetters.poll();
    }

    /** The failure that stopped the engine, if one did. */
    public Optional<DeliveryFailure> fatal() {
        return Optional.ofNullable(fatal.get());
    }

    /** The counters. */
    public DeliveryStats stats() {
        return stats;
    }

    /**
     * Waits until nothing is queued or in flight (or the engine stopped), up to {@code timeout}.
     *
     * @return whether it became idle in time
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return awaitBufferedAtMost(0, timeout);
    }

    /**
     * Waits until at most {@code changes} are queued or in flight (or the engine stopped), up to {@code timeout}.
     *
     * @return whether that happened in time
     */
    public boolean awaitBufferedAtMost(int changes, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        idleLock.lock();
        try {
            while (buffered.get() > changes && fatal.get() == null && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.awaitNanos(left);
            }
            return buffered.get() <= changes;
        } finally {
            idleLock.unlock();
        }
    }

    /**
     * The partitions were revoked: aborts their requests in flight and drops their queued changes and dead letters,
     * so the next owner, which resumes from the committed offsets, is not overtaken by this task. Changes of other
     * partitions that shared an aborted batch go back to the front of their lane and are sent again (with the same
     * idempotency keys).
     *
     * @return whether every lane let go of the partitions within {@code timeout}
     */
    public boolean revoke(Collection<TopicPartition> partitions, Duration timeout) throws InterruptedException {
        Set<TopicPartition> revoked = Set.copyOf(partitions);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean inTime = true;
        // Published before the abort: a lane whose batch gets cancelled must drop the revoked changes itself, under its
        // lock. Were they requeued, the lane could pick them up again before this thread gets the lock to drop them.
        revoking = revoked;
        try {
            for (Lane lane : lanes) {
                lane.drop(revoked);
                lane.abortInFlight(revoked);
            }
            for (Lane lane : lanes) {
                inTime &= lane.awaitNotInFlight(revoked, deadline);
            }
            for (Lane lane : lanes) {
                lane.drop(revoked);
            }
        } finally {
            revoking = Set.of();
        }
        deadLetters.removeIf(d -> allIn(d.records(), revoked));
        return inTime;
    }

    /** Stops the lanes; requests in flight end when the caller closes the HTTP client. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Lane lane : lanes) {
            lane.wake();
        }
        signalIdle();
    }

    /** Waits for the lane threads to end, up to {@code timeout}. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Lane lane : lanes) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            lane.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            if (lane.thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    private static boolean allIn(List<SinkRecord> records, Set<TopicPartition> partitions) {
        for (SinkRecord r : records) {
            if (!partitions.contains(OffsetTracker.partitionOf(r))) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyIn(List<Queued> batch, Set<TopicPartition> partitions) {
        for (Queued q : batch) {
            for (SinkRecord r : q.change.records()) {
                if (partitions.contains(OffsetTracker.partitionOf(r))) {
                    return true;
                }
            }
        }
        return false;
    }

    private void fail(DeliveryFailure failure) {
        if (fatal.compareAndSet(null, failure)) {
            LOG.debug("{}: delivery stopped: {}", settings.name(), failure.message());
            for (Lane lane : lanes) {
                lane.wake();
            }
            signalIdle();
        }
    }

    private void signalIdle() {
        idleLock.lock();
        try {
            idle.signalAll();
        } finally {
            idleLock.unlock();
        }
    }

    private void finished(int changes) {
        buffered.addAndGet(-changes);
        signalIdle();
    }

    private record Queued(Change change, Instant firstSeen, long enqueuedNanos) {
    }

    /** One sequential sender: a queue, a thread, at most one request in flight. */
    private final class Lane implements Runnable {
        private final ArrayDeque<Queued> queue = new ArrayDeque<>();
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final Thread thread;
        private List<Queued> inFlight = List.of();

        Lane(int index) {
            this.thread = new Thread(this, "syncline-sink-" + settings.name() + "-lane-" + index);
            this.thread.setDaemon(true);
        }

        void enqueue(Queued q) {
            lock.lock();
            try {
                queue.addLast(q);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void wake() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void drop(Set<TopicPartition> revoked) {
            int dropped = 0;
            lock.lock();
            try {
                for (Iterator<Queued> it = queue.iterator(); it.hasNext(); ) {
                    if (allIn(it.next().change.records(), revoked)) {
                        it.remove();
                        dropped++;
                    }
                }
            } finally {
                lock.unlock();
            }
            if (dropped > 0) {
                finished(dropped);
            }
        }

        /** Interrupts the lane's call (the HTTP client ends it CANCELLED) if its batch holds revoked records. */
        void abortInFlight(Set<TopicPartition> partitions) {
            lock.lock();
            try {
                if (anyIn(inFlight, partitions)) {
                    thread.interrupt();
                }
            } finally {
                lock.unlock();
            }
        }

        boolean awaitNotInFlight(Set<TopicPartition> partitions, long deadline) throws InterruptedException {
            lock.lock();
            try {
                while (anyIn(inFlight, partitions) && fatal.get() == null && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    changed.awaitNanos(left);
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        private boolean stopping() {
            return closed || fatal.get() != null;
        }

        @Override
        public void run() {
            try {
                while (!stopping()) {
                    List<Queued> batch = nextBatch();
                    if (batch == null) {
                        continue;
                    }
                    deliver(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                fail(new DeliveryFailure("internal", "delivery lane " + thread.getName() + " failed: " + e,
                        e.getClass().getName(), 0, null, 0));
                throw e;
            }
        }

        /** The next batch to send, or null when stopping. */
        private List<Queued> nextBatch() throws InterruptedException {
            lock.lock();
            try {
                while (queue.isEmpty()) {
                    if (stopping()) {
                        return null;
                    }
                    changed.await();
                }
                if (stopping()) {
                    return null;
                }
                Queued first = queue.pollFirst();
                List<Queued> batch = new ArrayList<>();
                batch.add(first);
                Change head = first.change;
                if (head.batchable() && settings.maxBatchRecords() > 1) {
                    fill(batch, head, first.enqueuedNanos + settings.maxBatchWait().toNanos());
                }
                inFlight = batch;
                return batch;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Adds queued changes to {@code batch} up to the limits, waiting for more until {@code deadline} (the batch's
         * max wait from its first change). A change that cannot join (its key is already in the batch, not batchable, another target,
         * too big) is passed over rather than ending the batch, and so is every later change of its key: order per
         * key holds, and one busy key no longer caps the batch (with many keys per lane, the first repeated key used to
         * come after a few dozen changes, which capped what a rate-limited target could take per request).
         */
        private void fill(List<Queued> batch, Change head, long deadline) throws InterruptedException {
            Set<String> keys = new HashSet<>();
            Set<String> held = new HashSet<>();
            keys.add(head.orderingKey());
            long bytes = head.size();
            int scanLimit = Math.max(64, 4 * settings.maxBatchRecords());
            while (batch.size() < settings.maxBatchRecords()) {
                int examined = 0;
                boolean sendNow = false;
                for (Iterator<Queued> it = queue.iterator(); it.hasNext() && examined < scanLimit
                        && batch.size() < settings.maxBatchRecords(); examined++) {
                    Queued next = it.next();
                    Change c = next.change;
                    String key = c.orderingKey();
                    if (keys.contains(key) || held.contains(key)) {
                        held.add(key); // it, and every later change of its key, waits for a later request
                        continue;
                    }
                    if (!c.batchable() || !c.target().equals(head.target()) || bytes + c.size() > settings.maxBatchBytes()) {
                        // Full by bytes, or a change that goes alone or elsewhere is waiting behind this batch.
                        held.add(key);
                        sendNow = true;
                        continue;
                    }
                    it.remove();
                    batch.add(next);
                    keys.add(key);
                    bytes += c.size();
                }
                if (sendNow || batch.size() >= settings.maxBatchRecords()) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || stopping()) {
                    return;
                }
                changed.awaitNanos(left);
            }
        }

        private void deliver(List<Queued> batch) {
            List<Change> changes = new ArrayList<>(batch.size());
            for (Queued q : batch) {
                changes.add(q.change);
            }
            List<Outcome> outcomes = deliverer.deliver(changes);
            if (outcomes.size() != changes.size()) {
                throw new IllegalStateException("the deliverer returned " + outcomes.size() + " outcomes for "
                        + changes.size() + " changes");
            }
            List<Queued> cancelled = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Queued q = batch.get(i);
                Outcome outcome = outcomes.get(i);
                switch (outcome.kind()) {
                    case DELIVERED -> {
                        for (SinkRecord r : q.change.records()) {
                            tracker.complete(r);
                        }
                        stats.delivered(q.change.records().size());
                        if (q.change.originMillis() > 0) {
                            stats.endToEnd().record(System.currentTimeMillis() - q.change.originMillis());
                        }
                    }
                    case DEAD_LETTER -> deadLetters.add(new DeadLetter(q.change.records(), outcome.failure(),
                            q.firstSeen));
                    case FATAL -> fail(outcome.failure());
                    case CANCELLED -> cancelled.add(q);
                    default -> throw new IllegalStateException("unknown outcome " + outcome.kind());
                }
            }
            int requeued = 0;
            lock.lock();
            try {
                inFlight = List.of();
                // A revoke interrupts only while a batch is in flight, under this lock: clearing the flag here means
                // no interrupt meant for this batch reaches the next one.
                Thread.interrupted();
                if (!cancelled.isEmpty() && !stopping()) {
                    // Aborted by a revoke: changes of the revoked partitions end here (the next owner resumes from
                    // the committed offsets); the rest go back to the front, in order, and are sent again.
                    Set<TopicPartition> revoked = revoking;
                    for (int i = cancelled.size() - 1; i >= 0; i--) {
                        Queued q = cancelled.get(i);
                        if (!allIn(q.change.records(), revoked)) {
                            queue.addFirst(q);
                            requeued++;
                        }
                    }
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            finished(batch.size() - requeued);
        }
    }
}

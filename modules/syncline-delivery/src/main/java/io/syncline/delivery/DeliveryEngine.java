package io.syncline.delivery;

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
 * The delivery engine every Syncline sink shares: N lanes (N may exceed the partition count) take changes from one
 * queue, each lane sending one request at a time. A change is taken only when no request holds a change of its
 * ordering key, and before any later change of that key, so changes of one key go out one at a time and in order,
 * while a key that is retrying holds up only itself. Batchable changes for the same target are grouped (max records,
 * max bytes, max wait), never two of the same key in one batch.
 *
 * <p>Rate limits: when the deliverer says its target has no permit free ({@link Deliverer#untilPermit}), one lane
 * waits for it on behalf of the queue and only then builds its batch, so what arrived during the wait goes out in
 * that one request. Under a request budget (HubSpot's 100 per 10 s) a change then waits at most about one permit
 * interval, rather than one interval per lane as with a queue per lane.
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
     * @param maxBatchWait how long a batch waits for more changes, from the time its first change was queued
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
    /** Guards the queue, the keys in flight, the lanes' batches and {@link #pacer}. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Idle lanes (and lanes behind the pacer) wait here; a new change wakes one of them. */
    private final Condition work = lock.newCondition();
    /** Lanes filling a batch, the pacer and a revoke wait here; every change wakes them all. */
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    /** Ordering keys of the changes the lanes hold (in a batch being filled or in flight). */
    private final Set<String> keysHeld = new HashSet<>();
    /** The lane waiting for a rate-limit permit on behalf of the queue, or null: the others wait behind it. */
    private Lane pacer;
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
     * Queues a change. The caller registered its records in the tracker already.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public void submit(Change change) {
        if (closed) {
            throw new IllegalStateException("the delivery engine of " + settings.name() + " is closed");
        }
        buffered.incrementAndGet();
        Queued q = new Queued(change, Instant.now(), System.nanoTime());
        lock.lock();
        try {
            queue.addLast(q);
            work.signal(); // one idle lane is enough for one change
            changed.signalAll(); // batches filling, the pacer
        } finally {
            lock.unlock();
        }
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
     * partitions that shared an aborted batch go back to the front of the queue and are sent again (with the same
     * idempotency keys).
     *
     * @return whether every lane let go of the partitions within {@code timeout}
     */
    public boolean revoke(Collection<TopicPartition> partitions, Duration timeout) throws InterruptedException {
        Set<TopicPartition> revoked = Set.copyOf(partitions);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean inTime = true;
        // Published before the abort: a lane whose batch gets cancelled must drop the revoked changes itself, under the
        // lock. Were they requeued, a lane could pick them up again before this thread gets the lock to drop them.
        revoking = revoked;
        try {
            drop(revoked);
            int dropped = 0;
            lock.lock();
            try {
                for (Lane lane : lanes) {
                    if (lane.sending) {
                        if (anyIn(lane.batch, revoked)) {
                            lane.thread.interrupt();
                        }
                    } else {
                        dropped += lane.dropFromBatch(revoked);
                    }
                }
                while (anySendingLaneHolds(revoked) && fatal.get() == null && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        inTime = false;
                        break;
                    }
                    changed.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
            if (dropped > 0) {
                finished(dropped);
            }
            drop(revoked);
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
        wakeLanes();
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

    private void drop(Set<TopicPartition> revoked) {
        int dropped = 0;
        lock.lock();
        try {
            for (Iterator<Queued> it = queue.iterator(); it.hasNext(); ) {
                if (allIn(it.next().change.records(), revoked)) {
                    it.remove();
                    dropped++;
                }
            }
            wakeAll();
        } finally {
            lock.unlock();
        }
        if (dropped > 0) {
            finished(dropped);
        }
    }

    private boolean anySendingLaneHolds(Set<TopicPartition> partitions) {
        for (Lane lane : lanes) {
            if (lane.sending && anyIn(lane.batch, partitions)) {
                return true;
            }
        }
        return false;
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
            wakeLanes();
            signalIdle();
        }
    }

    private void wakeLanes() {
        lock.lock();
        try {
            wakeAll();
        } finally {
            lock.unlock();
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

    /** Under the lock: something every waiter may care about happened (keys freed, pacer done, stop, revoke). */
    private void wakeAll() {
        work.signalAll();
        changed.signalAll();
    }

    private boolean stopping() {
        return closed || fatal.get() != null;
    }

    /** The first queued change no lane holds a change of the same key for; later changes of its key queue behind it. */
    private Queued firstFree() {
        for (Queued q : queue) {
            if (!keysHeld.contains(q.change.orderingKey())) {
                return q;
            }
        }
        return null;
    }

    private record Queued(Change change, Instant firstSeen, long enqueuedNanos) {
    }

    /** One sequential sender: a thread with at most one batch, taken from the shared queue. */
    private final class Lane implements Runnable {
        private final Thread thread;
        /** The batch this lane is filling or sending; guarded by the engine's lock. */
        private List<Queued> batch = List.of();
        /** Whether {@link #batch} is complete and being sent (else it is being filled); guarded by the lock. */
        private boolean sending;

        Lane(int index) {
            this.thread = new Thread(this, "syncline-sink-" + settings.name() + "-lane-" + index);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (!stopping()) {
                    List<Queued> next = nextBatch();
                    if (next == null) {
                        continue;
                    }
                    deliver(next);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                fail(new DeliveryFailure("internal", "delivery lane " + thread.getName() + " failed: " + e,
                        e.getClass().getName(), 0, null, 0));
                throw e;
            } finally {
                lock.lock();
                try {
                    if (pacer == this) {
                        pacer = null;
                        wakeAll();
                    }
                } finally {
                    lock.unlock();
                }
            }
        }

        /** The next batch to send, or null when stopping. */
        private List<Queued> nextBatch() throws InterruptedException {
            lock.lock();
            try {
                Queued first;
                while (true) {
                    if (stopping()) {
                        return null;
                    }
                    first = firstFree();
                    if (first == null) {
                        if (pacer == this) {
                            pacer = null; // nothing left to pace for (a revoke dropped it, another lane took it)
                            wakeAll();
                        }
                        work.await();
                        continue;
                    }
                    if (pacer != null && pacer != this) {
                        work.await();
                        continue;
                    }
                    long untilPermit = deliverer.untilPermit(first.change).toNanos();
                    if (untilPermit > 0) {
                        pacer = this;
                        changed.awaitNanos(untilPermit);
                        continue;
                    }
                    break;
                }
                if (pacer == this) {
                    pacer = null;
                    wakeAll();
                }
                queue.remove(first);
                List<Queued> taken = new ArrayList<>();
                take(taken, first);
                Change head = first.change;
                if (head.batchable() && settings.maxBatchRecords() > 1) {
                    fill(taken, head, first.enqueuedNanos + settings.maxBatchWait().toNanos());
                }
                if (taken.isEmpty() || stopping()) {
                    // A revoke took everything while the batch was filling, or the engine stopped.
                    release(taken);
                    return null;
                }
                sending = true;
                return taken;
            } finally {
                lock.unlock();
            }
        }

        private void take(List<Queued> taken, Queued q) {
            taken.add(q);
            keysHeld.add(q.change.orderingKey());
            batch = taken;
        }

        /** Under the lock: the batch is done with; its keys are free again. */
        private void release(List<Queued> taken) {
            for (Queued q : taken) {
                keysHeld.remove(q.change.orderingKey());
            }
            batch = List.of();
            sending = false;
            wakeAll();
        }

        /**
         * Under the lock, while the batch is filling: removes the changes of revoked partitions from it (the next
         * owner resumes from the committed offsets) and frees their keys.
         *
         * @return how many changes were removed
         */
        private int dropFromBatch(Set<TopicPartition> revoked) {
            int removed = 0;
            for (Iterator<Queued> it = batch.iterator(); it.hasNext(); ) {
                Queued q = it.next();
                if (allIn(q.change.records(), revoked)) {
                    it.remove();
                    keysHeld.remove(q.change.orderingKey());
                    removed++;
                }
            }
            return removed;
        }

        /**
         * Adds queued changes to {@code taken} up to the limits, waiting for more until {@code deadline} (the batch's
         * max wait from its first change). A change that cannot join (its key is held by this or another lane, not
         * batchable, another target, too big) is passed over rather than ending the batch, and so is every later
         * change of its key: order per key holds, and one busy key does not cap the batch.
         */
        private void fill(List<Queued> taken, Change head, long deadline) throws InterruptedException {
            Set<String> passed = new HashSet<>();
            long bytes = head.size();
            int scanLimit = Math.max(64, 4 * settings.maxBatchRecords());
            while (taken.size() < settings.maxBatchRecords()) {
                int examined = 0;
                boolean sendNow = false;
                passed.clear();
                for (Iterator<Queued> it = queue.iterator(); it.hasNext() && examined < scanLimit
                        && taken.size() < settings.maxBatchRecords(); examined++) {
                    Queued next = it.next();
                    Change c = next.change;
                    String key = c.orderingKey();
                    if (keysHeld.contains(key) || passed.contains(key)) {
                        continue; // it, and every later change of its key, waits for a later request
                    }
                    if (!c.batchable() || !c.target().equals(head.target()) || bytes + c.size() > settings.maxBatchBytes()) {
                        // Full by bytes, or a change that goes alone or elsewhere is waiting behind this batch.
                        passed.add(key);
                        sendNow = true;
                        continue;
                    }
                    it.remove();
                    take(taken, next);
                    bytes += c.size();
                }
                if (sendNow || taken.size() >= settings.maxBatchRecords()) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || stopping()) {
                    return;
                }
                changed.awaitNanos(left);
            }
        }

        private void deliver(List<Queued> taken) {
            List<Change> changes = new ArrayList<>(taken.size());
            for (Queued q : taken) {
                changes.add(q.change);
            }
            List<Outcome> outcomes = deliverer.deliver(changes);
            if (outcomes.size() != changes.size()) {
                throw new IllegalStateException("the deliverer returned " + outcomes.size() + " outcomes for "
                        + changes.size() + " changes");
            }
            List<Queued> cancelled = new ArrayList<>();
            for (int i = 0; i < taken.size(); i++) {
                Queued q = taken.get(i);
                Outcome outcome = outcomes.get(i);
                switch (outcome.kind()) {
                    case DELIVERED -> {
                        for (SinkRecord r : q.change.records()) {
                            tracker.complete(r);
                        }
                        stats.delivered(q.change.records().size());
                        if (q.change.originMillis() > 0) {
                            stats.recordEndToEnd(System.currentTimeMillis() - q.change.originMillis());
                        }
                    }
                    case SKIPPED -> {
                        for (SinkRecord r : q.change.records()) {
                            tracker.complete(r);
                            stats.skip(outcome.skipReason());
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
                // A revoke interrupts only while a batch is held, under this lock: clearing the flag here means no
                // interrupt meant for this batch reaches the next one.
                Thread.interrupted();
                if (!cancelled.isEmpty() && !stopping()) {
                    // Aborted by a revoke: changes of the revoked partitions end here (the next owner resumes from
                    // the committed offsets); the rest go back to the front, in order, and are sent again. Their
                    // keys are released in the same step, so no later change of theirs can go first.
                    Set<TopicPartition> revoked = revoking;
                    for (int i = cancelled.size() - 1; i >= 0; i--) {
                        Queued q = cancelled.get(i);
                        if (!allIn(q.change.records(), revoked)) {
                            queue.addFirst(q);
                            requeued++;
                        }
                    }
                }
                release(taken);
            } finally {
                lock.unlock();
            }
            finished(taken.size() - requeued);
        }
    }
}

package io.syncline.sandbox.core;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a simulator's activity steps at a target rate of units (events, changes) per second on one background
 * thread. Each step reports how many units it produced and the next step is due that many {@code 1/rate} later, so
 * the average rate holds whatever a step emits. Steps also run synchronously through {@link #runSteps(int)}, never
 * interleaved with scheduled ones, which is how tests drive a seeded generator deterministically.
 */
public final class ActivityScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityScheduler.class);

    /** One step of simulated activity. */
    @FunctionalInterface
    public interface Step {
        /** @return how many units (e.g. events) the step produced */
        int run();
    }

    private final String name;
    private final Step step;
    private final ReentrantLock stepLock = new ReentrantLock();
    private final ScheduledExecutorService executor;
    private volatile double rate;
    private volatile boolean running;
    private ScheduledFuture<?> next;
    private long nextDueNanos;
    private long steps;
    private long units;

    public ActivityScheduler(String name, Step step, double ratePerSecond) {
        this.name = name;
        this.step = step;
        rate(ratePerSecond);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandbox-" + name + "-generator");
            t.setDaemon(true);
            return t;
        });
    }

    /** Sets the target rate in units per second (must be positive); takes effect from the next step. */
    public void rate(double ratePerSecond) {
        if (!(ratePerSecond > 0) || ratePerSecond > 100_000) {
            throw new IllegalArgumentException("generator rate must be between 0 (exclusive) and 100000 per second, got "
                    + ratePerSecond);
        }
        this.rate = ratePerSecond;
    }

    public double rate() {
        return rate;
    }

    public boolean running() {
        return running;
    }

    /** Starts generating in the background; does nothing when already running. */
    public synchronized ActivityScheduler start() {
        if (!running) {
            running = true;
            nextDueNanos = System.nanoTime();
            next = executor.schedule(this::tick, 0, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Stops background generation; a step in progress completes. */
    public synchronized ActivityScheduler stop() {
        running = false;
        if (next != null) {
            next.cancel(false);
            next = null;
        }
        return this;
    }

    /** Runs {@code n} steps now on the calling thread and returns the units they produced. */
    public int runSteps(int n) {
        int produced = 0;
        for (int i = 0; i < n; i++) {
            produced += runOne();
        }
        return produced;
    }

    public long steps() {
        stepLock.lock();
        try {
            return steps;
        } finally {
            stepLock.unlock();
        }
    }

    public long units() {
        stepLock.lock();
        try {
            return units;
        } finally {
            stepLock.unlock();
        }
    }

    private int runOne() {
        stepLock.lock();
        try {
            int u = step.run();
            steps++;
            units += u;
            return u;
        } finally {
            stepLock.unlock();
        }
    }

    private void tick() {
        if (!running) {
            return;
        }
        int produced;
        try {
            produced = runOne();
        } catch (RuntimeException e) {
            LOG.warn("{} activity step failed; continuing", name, e);
            produced = 1;
        }
        synchronized (this) {
            if (!running) {
                return;
            }
            long now = System.nanoTime();
            nextDueNanos += (long) (Math.max(produced, 1) * 1_000_000_000L / rate);
            if (now - nextDueNanos > 1_000_000_000L) {
                nextDueNanos = now; // fell behind by more than a second: do not burst to catch up
            }
            next = executor.schedule(this::tick, Math.max(0, nextDueNanos - now), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void close() {
        stop();
        executor.shutdownNow();
    }
}

package io.syncline.sandbox.core;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Holding a request thread for simulated latency, parked in short slices and cut short on shutdown. */
final class Waits {

    private static final long SLICE_NANOS = 50_000_000L;

    private Waits() {
    }

    /** Parks the current thread for {@code millis}, returning early when {@code stop} becomes true or on interrupt. */
    static void hold(long millis, BooleanSupplier stop) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!stop.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(Math.min(left, SLICE_NANOS));
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }
}

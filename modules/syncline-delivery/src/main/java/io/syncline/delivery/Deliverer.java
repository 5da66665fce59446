package io.syncline.delivery;

import java.time.Duration;
import java.util.List;

/**
 * Sends changes to the target; the engine calls it from one lane thread at a time per batch. Implementations retry
 * transient failures themselves (through the shared HTTP client) and return only final outcomes.
 */
@FunctionalInterface
public interface Deliverer {

    /**
     * Delivers {@code batch} (one change, or several batchable changes for the same target with distinct ordering
     * keys) and returns one outcome per change, in the same order.
     */
    List<Outcome> deliver(List<Change> batch);

    /**
     * How long until a request for {@code change}'s target could get a rate-limit permit; zero when it could go now.
     * The engine waits this long before it builds a batch, so that the batch takes in what arrives meanwhile.
     * Default: no rate limit.
     */
    default Duration untilPermit(Change change) {
        return Duration.ZERO;
    }
}

package io.syncline.connect.common.source;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import io.syncline.http.FailureKind;
import io.syncline.http.RetryPolicy;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;

/**
 * What a {@link PolledStream} does when a call to its provider fails, the same for every source: rejected
 * credentials and permanent errors stop the task with a message that says what to fix; a cancelled call (the task is
 * stopping) is nothing; anything else waits out a backoff (exponential with jitter, or the provider's Retry-After when
 * longer) and is logged, since someone should look if it repeats, while the stream carries on from where it stood.
 */
public final class StreamFailures {

    private final String name;
    private final RetryPolicy retryPolicy;
    private final Logger log;
    private int inARow;
    private Duration previousDelay = Duration.ZERO;

    /**
     * @param name        the stream's name in the log, e.g. the object type
     * @param retryPolicy the connector's backoff
     * @param log         the stream's logger, so that log settings per connector keep working
     */
    public StreamFailures(String name, RetryPolicy retryPolicy, Logger log) {
        this.name = name;
        this.retryPolicy = retryPolicy;
        this.log = log;
    }

    /** A step succeeded: the next failure starts the backoff afresh. */
    public void succeeded() {
        inARow = 0;
        previousDelay = Duration.ZERO;
    }

    /**
     * A call failed; returns how long the stream waits before its next step, or empty when the call was cancelled.
     *
     * @param doing   what the stream was doing, for a permanent failure's message, e.g. "syncing charge"
     * @param onAuth  the message when the provider rejected the credentials: which key to fix, and how
     * @throws ConnectException when retrying cannot help
     */
    public Optional<Duration> failed(FailureKind kind, String message, Optional<Duration> retryAfter, String doing,
                                     Supplier<String> onAuth) {
        return failed(kind, message, retryAfter, doing, onAuth, null);
    }

    /**
     * As {@link #failed(FailureKind, String, Optional, String, Supplier)}, with a fixed wait instead of the backoff
     * for a failure the provider's rules make expected (logged at debug, not as a warning), or null for none.
     */
    public Optional<Duration> failed(FailureKind kind, String message, Optional<Duration> retryAfter, String doing,
                                     Supplier<String> onAuth, Duration expectedWait) {
        switch (kind) {
            case AUTH -> throw new ConnectException(onAuth.get());
            case PERMANENT_CONFIG, PERMANENT_RECORD -> throw new ConnectException(doing
                    + " failed and retrying cannot help: " + message);
            case CANCELLED -> {
                return Optional.empty();
            }
            default -> {
                inARow++;
                Duration backoff = retryPolicy.backoff(inARow, previousDelay,
                        () -> ThreadLocalRandom.current().nextDouble());
                Duration wait = expectedWait != null ? expectedWait : backoff;
                Duration delay = retryAfter.filter(r -> r.compareTo(wait) > 0).orElse(wait);
                previousDelay = delay;
                if (expectedWait != null) {
                    log.debug("{}: {}; trying again in {} ms", name, message, delay.toMillis());
                } else {
                    // Someone should look if this repeats; the stream itself carries on from where it stood.
                    log.warn("{}: {} (failure {} in a row); trying again in {} ms", name, message, inARow,
                            delay.toMillis());
                }
                return Optional.of(delay);
            }
        }
    }
}

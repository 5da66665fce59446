package io.syncline.connect.common.source;

import java.util.List;

import org.apache.kafka.connect.source.SourceRecord;

/**
 * One object type a polling source reads, resuming from its own Connect offset: the provider-specific reader that
 * {@link PollingSourceTask} takes turns over. It says when it is next due and, when asked, does one step (one page or
 * one request) and returns the records that step produced, each carrying the offset that covers it.
 */
public interface PolledStream {

    /** When this stream next has work, on {@link System#nanoTime()}'s clock. */
    long dueAtNanos();

    /**
     * Does the next step and returns its records (empty when the step produced none, e.g. an empty page or a failed
     * request that the stream will retry after its backoff, which moves {@link #dueAtNanos()}).
     */
    List<SourceRecord> step(long nowNanos);
}

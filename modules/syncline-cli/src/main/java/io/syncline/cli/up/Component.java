package io.syncline.cli.up;

import io.syncline.ops.Health;

/**
 * One part of the stack {@code syncline up} runs: a broker, a registry, a Connect worker, later the gateway, the
 * normalizer, sandboxes, the console.
 *
 * <p>The {@link Stack} calls {@link #preflight} on every component before any starts (so a busy port fails fast and
 * nothing is left half-started), then {@link #start} in list order, and {@link #stop} in reverse order on Ctrl-C or
 * when a later component fails to start. A component reads what earlier ones published (e.g. the bootstrap servers)
 * from the {@link StackContext} and publishes its own address there for the components after it and for
 * {@code syncline status}.
 */
public interface Component {

    /** Shown in progress lines and the table, e.g. {@code Kafka broker}. */
    String name();

    /** Checks what can be checked before anything starts: ports free, directories usable. Default: nothing. */
    default void preflight(StackContext context) {
    }

    /** Starts and returns only when ready to serve; publishes endpoints into {@code context}. */
    void start(StackContext context) throws Exception;

    /** Stops and waits until stopped; called only after a successful {@link #start}. Must not throw for a clean stop. */
    void stop() throws Exception;

    /** Where users reach it, e.g. {@code localhost:9092} or {@code http://localhost:8083}. */
    String address();

    /** A live check, used for the table {@code up} prints. */
    Health health();

    /** How it runs, for the table: {@code embedded} or {@code external}. */
    default String mode() {
        return "embedded";
    }
}

package io.syncline.cli.sandbox;

import io.syncline.sandbox.core.Faults;
import picocli.CommandLine.Option;

/** The fault flags every sandbox command shares; each maps to one {@link Faults} knob. */
final class FaultOptions {

    @Option(names = "--latency-ms", paramLabel = "MS", defaultValue = "0",
            description = "Added latency per API request (default: ${DEFAULT-VALUE}).")
    long latencyMs;

    @Option(names = "--latency-jitter-ms", paramLabel = "MS", defaultValue = "0",
            description = "Random extra latency in [0, MS] per API request (default: ${DEFAULT-VALUE}).")
    long latencyJitterMs;

    @Option(names = "--error-ratio", paramLabel = "RATIO", defaultValue = "0",
            description = "Share of API requests answered with a server error, 0..1 (default: ${DEFAULT-VALUE}).")
    double serverErrorRatio;

    @Option(names = "--error-status", paramLabel = "STATUS", defaultValue = "500",
            description = "Status of injected server errors: 500, 502, 503 or 504 (default: ${DEFAULT-VALUE}).")
    int serverErrorStatus;

    @Option(names = "--throttle-ratio", paramLabel = "RATIO", defaultValue = "0",
            description = "Share of API requests answered 429 on top of the real rate limit (default: ${DEFAULT-VALUE}).")
    double rateLimitRatio;

    @Option(names = "--malformed-ratio", paramLabel = "RATIO", defaultValue = "0",
            description = "Share of responses whose JSON body is cut in half (default: ${DEFAULT-VALUE}).")
    double malformedRatio;

    @Option(names = "--reset-ratio", paramLabel = "RATIO", defaultValue = "0",
            description = "Share of API requests whose connection is reset without an answer (default: ${DEFAULT-VALUE}).")
    double connectionResetRatio;

    @Option(names = "--timeout-ratio", paramLabel = "RATIO", defaultValue = "0",
            description = "Share of API requests held for --timeout-ms before a 504 (default: ${DEFAULT-VALUE}).")
    double timeoutRatio;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "30000",
            description = "How long a request picked by --timeout-ratio is held (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--webhook-duplicate-ratio", paramLabel = "RATIO", defaultValue = "0",
            description = "Share of webhook deliveries sent twice (default: ${DEFAULT-VALUE}).")
    double webhookDuplicateRatio;

    @Option(names = "--webhook-drop-ratio", paramLabel = "RATIO", defaultValue = "0",
            description = "Share of webhook deliveries never sent, so only polling sees the change (default: ${DEFAULT-VALUE}).")
    double webhookDropRatio;

    @Option(names = "--webhook-out-of-order-ratio", paramLabel = "RATIO", defaultValue = "0",
            description = "Share of webhook deliveries held back so later events overtake them (default: ${DEFAULT-VALUE}).")
    double webhookOutOfOrderRatio;

    @Option(names = "--webhook-out-of-order-delay-ms", paramLabel = "MS", defaultValue = "500",
            description = "How long a held-back webhook delivery waits (default: ${DEFAULT-VALUE}).")
    long webhookOutOfOrderDelayMs;

    /** The knobs as set on the command line; throws IllegalArgumentException naming a bad value's knob. */
    Faults toFaults() {
        return new Faults()
                .latency(latencyMs, latencyJitterMs)
                .serverErrorRatio(serverErrorRatio)
                .serverErrorStatus(serverErrorStatus)
                .rateLimitRatio(rateLimitRatio)
                .malformedRatio(malformedRatio)
                .connectionResetRatio(connectionResetRatio)
                .timeoutRatio(timeoutRatio)
                .timeoutMs(timeoutMs)
                .webhookDuplicateRatio(webhookDuplicateRatio)
                .webhookDropRatio(webhookDropRatio)
                .webhookOutOfOrderRatio(webhookOutOfOrderRatio)
                .webhookOutOfOrderDelayMs(webhookOutOfOrderDelayMs);
    }
}

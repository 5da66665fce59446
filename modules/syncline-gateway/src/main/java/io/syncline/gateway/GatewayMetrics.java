package io.syncline.gateway;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.syncline.metrics.SynclineMetrics;

/**
 * The gateway's meters, looked up once per endpoint and status so the request path does not build meter ids. Names,
 * labels and meanings are the {@code GATEWAY_*} entries of {@link SynclineMetrics} (docs/metrics.md); the produce
 * latency is a histogram, to aggregate across replicas with {@code histogram_quantile}.
 */
final class GatewayMetrics {

    /** The endpoint tag for requests that match no configured endpoint (kept to one value to bound cardinality). */
    static final String NO_ENDPOINT = "_none";

    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final ConcurrentMap<String, EndpointMeters> byEndpoint = new ConcurrentHashMap<>();

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    EndpointMeters endpoint(String name) {
        return byEndpoint.computeIfAbsent(name, EndpointMeters::new);
    }

    /** The meters of one endpoint tag value. */
    final class EndpointMeters {
        private final String endpoint;
        private final AtomicReferenceArray<Counter> requests = new AtomicReferenceArray<>(600);
        private final ConcurrentMap<String, Counter> failures = new ConcurrentHashMap<>();
        private final ConcurrentMap<String, Counter> recordsOut = new ConcurrentHashMap<>();
        private final Timer produceLatency;
        private final DistributionSummary bytes;
        private final Counter produceErrors;

        EndpointMeters(String endpoint) {
            this.endpoint = endpoint;
            if (endpoint.equals(NO_ENDPOINT)) {
                // Unmatched requests never reach Kafka nor have their body read.
                this.produceLatency = null;
                this.bytes = null;
                this.produceErrors = null;
                return;
            }
            // A fixed, short bucket list rather than client-side percentiles: buckets add up across gateway
            // replicas, percentiles do not.
            this.produceLatency = Timer.builder(SynclineMetrics.GATEWAY_PRODUCE_LATENCY.micrometerName())
                    .description(SynclineMetrics.GATEWAY_PRODUCE_LATENCY.help())
                    .tag("endpoint", endpoint)
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry);
            this.bytes = DistributionSummary.builder(SynclineMetrics.GATEWAY_REQUEST_BYTES.micrometerName())
                    .description(SynclineMetrics.GATEWAY_REQUEST_BYTES.help())
                    .baseUnit("bytes")
                    .tag("endpoint", endpoint)
                    .register(registry);
            // Registered up front, at zero: a dashboard's rate() shows 0 rather than nothing before the first error.
            this.produceErrors = Counter.builder(SynclineMetrics.GATEWAY_PRODUCE_ERRORS.micrometerName())
                    .description(SynclineMetrics.GATEWAY_PRODUCE_ERRORS.help())
                    .tag("endpoint", endpoint)
                    .register(registry);
        }

        void request(int status) {
            int index = status >= 0 && status < 600 ? status : 599;
            Counter counter = requests.get(index);
            if (counter == null) {
                counter = Counter.builder(SynclineMetrics.GATEWAY_REQUESTS.micrometerName())
                        .description(SynclineMetrics.GATEWAY_REQUESTS.help())
                        .tag("endpoint", endpoint)
                        .tag("status", Integer.toString(status))
                        .register(registry);
                requests.set(index, counter);
            }
            counter.increment();
        }

        void verificationFailure(String reason) {
            failures.computeIfAbsent(reason, r -> Counter.builder(
                            SynclineMetrics.GATEWAY_VERIFICATION_FAILURES.micrometerName())
                    .description(SynclineMetrics.GATEWAY_VERIFICATION_FAILURES.help())
                    .tag("endpoint", endpoint)
                    .tag("reason", r)
                    .register(registry)).increment();
        }

        /** One request's records (one, or one per event of a batch) acknowledged {@code nanos} after sending. */
        void produced(long nanos, List<String> topics) {
            produceLatency.record(nanos, TimeUnit.NANOSECONDS);
            for (String topic : topics) {
                recordsOut.computeIfAbsent(topic, t -> Counter.builder(
                                SynclineMetrics.GATEWAY_RECORDS_OUT.micrometerName())
                        .description(SynclineMetrics.GATEWAY_RECORDS_OUT.help())
                        .tag("endpoint", endpoint)
                        .tag("topic", t)
                        .register(registry)).increment();
            }
        }

        void produceError() {
            if (produceErrors != null) {
                produceErrors.increment();
            }
        }

        void bodyBytes(int length) {
            bytes.record(length);
        }
    }
}

package io.syncline.gateway;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The gateway's meters, looked up once per endpoint and status so the request path does not build meter ids.
 *
 * <p>Names (Prometheus form): {@code syncline_gateway_requests_total{endpoint,status}},
 * {@code syncline_gateway_verification_failures_total{endpoint,reason}},
 * {@code syncline_gateway_produce_latency_seconds{endpoint}} (a histogram: aggregate across replicas with
 * {@code histogram_quantile}),
 * {@code syncline_gateway_request_bytes{endpoint}} (count, sum, max of accepted-size bodies).
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
        private final Timer produceLatency;
        private final DistributionSummary bytes;

        EndpointMeters(String endpoint) {
            this.endpoint = endpoint;
            if (endpoint.equals(NO_ENDPOINT)) {
                // Unmatched requests never reach Kafka nor have their body read.
                this.produceLatency = null;
                this.bytes = null;
                return;
            }
            // A fixed, short bucket list rather than client-side percentiles: buckets add up across gateway
            // replicas, percentiles do not.
            this.produceLatency = Timer.builder("syncline.gateway.produce.latency")
                    .description("Time from handing a record to the Kafka producer to its acks=all acknowledgement")
                    .tag("endpoint", endpoint)
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry);
            this.bytes = DistributionSummary.builder("syncline.gateway.request.bytes")
                    .description("Request body sizes read (bodies over the limit are not counted)")
                    .baseUnit("bytes")
                    .tag("endpoint", endpoint)
                    .register(registry);
        }

        void request(int status) {
            int index = status >= 0 && status < 600 ? status : 599;
            Counter counter = requests.get(index);
            if (counter == null) {
                counter = Counter.builder("syncline.gateway.requests")
                        .description("Webhook requests by endpoint and HTTP status answered")
                        .tag("endpoint", endpoint)
                        .tag("status", Integer.toString(status))
                        .register(registry);
                requests.set(index, counter);
            }
            counter.increment();
        }

        void verificationFailure(String reason) {
            failures.computeIfAbsent(reason, r -> Counter.builder("syncline.gateway.verification.failures")
                    .description("Requests refused by signature verification, by reason")
                    .tag("endpoint", endpoint)
                    .tag("reason", r)
                    .register(registry)).increment();
        }

        void produced(long nanos) {
            produceLatency.record(nanos, TimeUnit.NANOSECONDS);
        }

        void bodyBytes(int length) {
            bytes.record(length);
        }
    }
}

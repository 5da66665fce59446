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
 * {@code syncline_gateway_produce_latency_seconds{endpoint}} (histogram and p50/p95/p99),
 * {@code syncline_gateway_request_bytes{endpoint}} (count, sum, max of accepted-size bodies).
 */
final class GatewayMetrics {

    /** The endpoint tag for requests that match no configured endpoint (kept to one value to bound cardinality). */
    static final String NO_ENDPOINT = "_none";

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
            this.produceLatency = Timer.builder("syncline.gateway.produce.latency")
                    .description("Time from handing a record to the Kafka producer to its acks=all acknowledgement")
                    .tag("endpoint", endpoint)
                    .publishPercentiles(0.5, 0.95, 0.99)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
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

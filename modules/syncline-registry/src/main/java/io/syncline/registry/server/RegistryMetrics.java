package io.syncline.registry.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.syncline.metrics.MetricsHttpServer;
import io.syncline.metrics.Registries;
import io.syncline.metrics.SynclineMetrics;

/**
 * The registry's {@code GET /metrics}: requests by method and status, their latency, and the schemas held, named by
 * the {@code REGISTRY_*} entries of {@link SynclineMetrics} (docs/metrics.md).
 */
final class RegistryMetrics {

    private static final String STARTED = "syncline.metrics.started";

    private final PrometheusMeterRegistry registry = Registries.prometheus();
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();

    RegistryMetrics(RegistryState state) {
        Gauge.builder(SynclineMetrics.REGISTRY_SCHEMAS.micrometerName(), state, RegistryState::schemaCount)
                .description(SynclineMetrics.REGISTRY_SCHEMAS.help()).register(registry);
    }

    /** Adds the route and the request hooks; {@code /metrics} is open like {@code /health} (it holds no schema). */
    void install(JavalinConfig config) {
        config.routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        config.routes.after(this::record);
        config.routes.get("/metrics", ctx -> ctx.contentType(MetricsHttpServer.CONTENT_TYPE).result(registry.scrape()));
    }

    private void record(Context ctx) {
        if (ctx.path().equals("/metrics")) {
            return;
        }
        String method = ctx.method().name();
        int status = ctx.statusCode();
        requests.computeIfAbsent(method + " " + status, k -> Counter
                .builder(SynclineMetrics.REGISTRY_REQUESTS.micrometerName())
                .description(SynclineMetrics.REGISTRY_REQUESTS.help())
                .tag("method", method).tag("status", Integer.toString(status)).register(registry)).increment();
        Long started = ctx.attribute(STARTED);
        if (started != null) {
            latency.computeIfAbsent(method, m -> Timer
                    .builder(SynclineMetrics.REGISTRY_REQUEST_LATENCY.micrometerName())
                    .description(SynclineMetrics.REGISTRY_REQUEST_LATENCY.help())
                    .tag("method", m).register(registry)).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }
}

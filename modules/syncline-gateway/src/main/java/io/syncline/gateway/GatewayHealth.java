package io.syncline.gateway;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

import io.javalin.http.Context;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * {@code GET /health}: 200 {@code UP} with the cluster id when Kafka describes its cluster within
 * {@link ProducerSettings#HEALTH_TIMEOUT_MS}, else 503 {@code DOWN} naming the error's class.
 */
final class GatewayHealth implements AutoCloseable {

    private static final String JSON = "application/json";

    private final Admin admin;
    private final Executor executor;

    /**
     * @param producerConfig the producer's settings, whose connection part the health check's admin client reuses
     * @param executor where answers are written (a Jetty thread, not the admin client's)
     */
    GatewayHealth(Map<String, Object> producerConfig, Executor executor) {
        this.admin = Admin.create(ProducerSettings.admin(producerConfig));
        this.executor = executor;
    }

    void handle(Context ctx) {
        handle(ctx, executor);
    }

    /** As {@link #handle(Context)}, writing the answer on {@code executor} (the management server's threads). */
    void handle(Context ctx, Executor executor) {
        DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs(ProducerSettings.HEALTH_TIMEOUT_MS);
        ctx.future(() -> admin.describeCluster(options).clusterId().toCompletionStage().toCompletableFuture()
                .handleAsync((clusterId, error) -> {
                    Map<String, Object> kafka = new LinkedHashMap<>();
                    kafka.put("status", error == null ? "UP" : "DOWN");
                    if (error == null) {
                        kafka.put("clusterId", clusterId);
                    } else {
                        Throwable cause = error.getCause() != null ? error.getCause() : error;
                        kafka.put("error", cause.getClass().getSimpleName());
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", error == null ? "UP" : "DOWN");
                    body.put("kafka", kafka);
                    ctx.status(error == null ? 200 : 503).contentType(JSON).result(ProblemResponses.json(body));
                    return null;
                }, executor));
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}

package io.syncline.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.javalin.http.Context;
import io.syncline.config.GatewayConfig;
import io.syncline.gateway.signature.SignedRequest;
import io.syncline.gateway.signature.Verification;
import io.syncline.raw.Traceparent;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/{endpoint}}: the checks in their documented order (endpoint 404, content type 415, size 413,
 * signature 400/401), then the record into Kafka, answered 200 only once Kafka acknowledged it, else 503.
 *
 * <p>The Jetty thread is released while Kafka acknowledges; the answer is written on {@code executor} (a Jetty
 * thread), never on the producer's I/O thread.
 */
final class WebhookHandler {

    private static final Logger log = LoggerFactory.getLogger(WebhookHandler.class);
    private static final String JSON = "application/json";

    private final Map<String, WebhookEndpoint> endpoints;
    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final String publicBaseUrl;
    private final Producer<byte[], byte[]> producer;
    private final long ackTimeoutMs;
    private final Executor executor;

    /**
     * @param publicBaseUrl the URL providers call, without a trailing slash; empty to use the request's own
     * @param ackTimeoutMs how long to wait for Kafka before answering 503
     * @param executor where answers are written once Kafka has acknowledged
     */
    WebhookHandler(Map<String, WebhookEndpoint> endpoints, GatewayConfig config, GatewayMetrics metrics, Clock clock,
            String publicBaseUrl, Producer<byte[], byte[]> producer, long ackTimeoutMs, Executor executor) {
        this.endpoints = endpoints;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.publicBaseUrl = publicBaseUrl;
        this.producer = producer;
        this.ackTimeoutMs = ackTimeoutMs;
        this.executor = executor;
    }

    void handle(Context ctx) {
        HttpServletRequest req = ctx.req();
        WebhookEndpoint endpoint = endpoints.get(ctx.pathParam("endpoint"));
        if (endpoint == null) {
            ProblemResponses.send(ctx, metrics.endpoint(GatewayMetrics.NO_ENDPOINT), 404, "unknown-endpoint",
                    "Unknown webhook endpoint", "no webhook endpoint is configured at this path");
            return;
        }
        GatewayMetrics.EndpointMeters meters = metrics.endpoint(endpoint.name);
        if (!endpoint.accepts(req.getContentType())) {
            ProblemResponses.send(ctx, meters, 415, "unsupported-media-type", "Unsupported content type",
                    "expected Content-Type " + endpoint.acceptedTypes());
            return;
        }
        long declared = req.getContentLengthLong();
        if (declared > config.maxBodyBytes()) {
            tooLarge(ctx, meters);
            return;
        }
        byte[] body;
        try {
            body = readBody(req.getInputStream(), declared, config.maxBodyBytes());
        } catch (IOException | UncheckedIOException e) {
            ProblemResponses.send(ctx, meters, 400, "unreadable-body", "Request body could not be read",
                    "the request body ended early or was not valid HTTP framing");
            return;
        }
        if (body == null) {
            tooLarge(ctx, meters);
            return;
        }
        meters.bodyBytes(body.length);

        long now = clock.millis();
        HttpSignedRequest signed = new HttpSignedRequest(ctx, body);
        Verification verification = endpoint.verifier.verify(signed, now);
        if (!verification.valid()) {
            Verification.Outcome outcome = verification.outcome();
            meters.verificationFailure(outcome.reason());
            ProblemResponses.send(ctx, meters, outcome.status(), outcome.reason(), outcome.status() == 400
                    ? "Malformed signature header" : "Signature verification failed", verification.detail());
            return;
        }

        Traceparent traceparent = TraceIds.traceparent(req.getHeader(Traceparent.HEADER));
        store(ctx, meters, endpoint.records(signed, traceparent, now), traceparent.traceId());
    }

    /**
     * Hands the records (one, or one per event of a batch) to the producer and answers once Kafka acknowledged every
     * one of them, or did not in time. A batch that fails part-way gets 503: the provider resends it, and the events
     * already written are dropped downstream as duplicates (same event ids).
     */
    private void store(Context ctx, GatewayMetrics.EndpointMeters meters, List<ProducerRecord<byte[], byte[]>> records,
            String traceId) {
        long sendStart = System.nanoTime();
        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(records.size());
        try {
            for (ProducerRecord<byte[], byte[]> record : records) {
                CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        acked.complete(metadata);
                    } else {
                        acked.completeExceptionally(error);
                    }
                });
                acks.add(acked);
            }
        } catch (RuntimeException e) {
            // Metadata or buffer space not available within max.block.ms, or the producer is closing.
            kafkaFailed(ctx, meters, e);
            return;
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]));
        ctx.future(() -> all.orTimeout(ackTimeoutMs, TimeUnit.MILLISECONDS).handleAsync((done, error) -> {
            if (error == null) {
                meters.produced(System.nanoTime() - sendStart,
                        records.stream().map(ProducerRecord::topic).toList());
                meters.request(200);
                ctx.status(200).contentType(JSON).result("{\"status\":\"accepted\",\"traceId\":\"" + traceId + "\"}");
            } else {
                kafkaFailed(ctx, meters, error);
            }
            return null;
        }, executor));
    }

    private void tooLarge(Context ctx, GatewayMetrics.EndpointMeters meters) {
        // The rest of the body is not read: tell the client the connection will not be reused.
        ctx.header("Connection", "close");
        ProblemResponses.send(ctx, meters, 413, "payload-too-large", "Request body too large",
                "the body exceeds the limit of " + config.maxBodyBytes() + " bytes");
    }

    private void kafkaFailed(Context ctx, GatewayMetrics.EndpointMeters meters, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        meters.produceError();
        if (cause instanceof RecordTooLargeException) {
            ProblemResponses.send(ctx, meters, 413, "payload-too-large", "Request body too large for Kafka",
                    "the record is larger than Kafka accepts (max.request.size / message.max.bytes)");
            return;
        }
        log.debug("Kafka did not acknowledge a record in time: {}", cause.toString());
        ctx.header("Retry-After", Integer.toString(config.retryAfterSeconds()));
        ProblemResponses.send(ctx, meters, 503, "kafka-unavailable", "Kafka unavailable",
                "the event was not stored: Kafka did not acknowledge it in time (" + cause.getClass().getSimpleName()
                        + "); retry later");
    }

    /**
     * Reads at most {@code limit} bytes; null when the body is longer. A declared length is read into an exact
     * array; a chunked body grows a buffer up to the limit, never beyond.
     */
    static byte[] readBody(InputStream in, long declared, int limit) throws IOException {
        if (declared >= 0) {
            byte[] body = new byte[(int) declared];
            int n = in.readNBytes(body, 0, body.length);
            if (n < body.length) {
                throw new IOException("body ended after " + n + " of " + declared + " bytes");
            }
            return body;
        }
        byte[] buffer = new byte[Math.min(limit + 1, 16 * 1024)];
        int n = 0;
        while (true) {
            if (n == buffer.length) {
                if (buffer.length > limit) {
                    return null;
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min((long) limit + 1, buffer.length * 2L));
            }
            int read = in.read(buffer, n, buffer.length - n);
            if (read < 0) {
                break;
            }
            n += read;
            if (n > limit) {
                return null;
            }
        }
        return n == buffer.length ? buffer : Arrays.copyOf(buffer, n);
    }

    /** The request as the signature schemes see it; the public URL is built only if a scheme asks for it. */
    private final class HttpSignedRequest implements SignedRequest {
        private final Context ctx;
        private final byte[] body;

        HttpSignedRequest(Context ctx, byte[] body) {
            this.ctx = ctx;
            this.body = body;
        }

        @Override
        public String header(String name) {
            return ctx.req().getHeader(name);
        }

        @Override
        public String method() {
            return ctx.req().getMethod();
        }

        @Override
        public String url() {
            HttpServletRequest req = ctx.req();
            String base = !publicBaseUrl.isEmpty() ? publicBaseUrl : req.getScheme() + "://" + req.getHeader("Host");
            String query = req.getQueryString();
            return base + req.getRequestURI() + (query == null ? "" : "?" + query);
        }

        @Override
        public byte[] body() {
            return body;
        }
    }
}

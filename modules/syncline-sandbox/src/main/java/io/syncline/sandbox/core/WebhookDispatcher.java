package io.syncline.sandbox.core;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers signed webhook requests to registered endpoints, at least once: a non-2xx answer, a connection error or a
 * timeout is retried with exponential backoff up to the policy's attempt limit. The duplicate and out-of-order fault
 * knobs act here, and so does the drop knob (a dropped delivery is recorded once with status 0 and never sent). Every
 * attempt is recorded for tests and the admin API.
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

    /** Where one delivery goes. */
    public record Target(String endpointId, URI url, String secret) {
    }

    /** Produces the provider's signature headers for one attempt (re-signed per attempt, as providers do). */
    @FunctionalInterface
    public interface Signer {
        Map<String, String> headers(String secret, byte[] body, Instant now);

        /** The headers for a delivery to {@code url}, for schemes that sign the URL too (HubSpot v3). */
        default Map<String, String> headers(String secret, URI url, byte[] body, Instant now) {
            return headers(secret, body, now);
        }
    }

    /**
     * Retry schedule: attempt {@code n} (from 2) waits {@code initialBackoff * multiplier^(n-2)}, capped at
     * {@code maxBackoff}; each attempt may take up to {@code requestTimeout}.
     */
    public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
                              Duration requestTimeout) {
        public RetryPolicy {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("webhook maxAttempts must be at least 1, got " + maxAttempts);
            }
            if (multiplier < 1.0) {
                throw new IllegalArgumentException("webhook backoff multiplier must be at least 1, got " + multiplier);
            }
            Objects.requireNonNull(initialBackoff, "initialBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
        }

        /** 8 attempts, 1 s doubling to at most 10 min, 10 s per attempt: hours of Stripe's schedule squeezed into ~5 min. */
        public static RetryPolicy defaults() {
            return new RetryPolicy(8, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(10), Duration.ofSeconds(10));
        }

        Duration backoffBefore(int attempt) {
            double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 2));
            return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
        }
    }

    /**
     * One delivery attempt.
     *
     * @param deliveryId identifies the delivery (a duplicate delivery has its own id)
     * @param status     HTTP status, or 0 when no answer arrived ({@code error} says why)
     * @param duplicate  whether this delivery is an injected duplicate
     * @param delayed    whether this delivery was held back by the out-of-order fault
     */
    public record Attempt(String deliveryId, String endpointId, String eventId, int attempt, int status, String error,
                          Instant at, boolean duplicate, boolean delayed) {
        public boolean succeeded() {
            return status >= 200 && status < 300;
        }
    }

    /** The {@link Attempt#error()} of a delivery the {@code webhookDropRatio} fault swallowed. */
    public static final String DROPPED = "dropped by the webhookDropRatio fault";

    private final RetryPolicy policy;
    private final Faults faults;
    private final Signer signer;
    private final Clock clock;
    private final SplittableRandom random;
    private final String userAgent;
    private final BiConsumer<String, Boolean> finished;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService httpExecutor;
    private final HttpClient client;
    private final List<Attempt> attempts = new ArrayList<>();
    private final AtomicLong deliverySeq = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param finished called once per original (non-duplicate) delivery with the event id and whether it succeeded
     *                 in the end
     */
    public WebhookDispatcher(String name, RetryPolicy policy, Faults faults, Signer signer, Clock clock, long seed,
                             String userAgent, BiConsumer<String, Boolean> finished) {
        this.policy = policy;
        this.faults = faults;
        this.signer = signer;
        this.clock = clock;
        this.random = new SplittableRandom(seed);
        this.userAgent = userAgent;
        this.finished = finished;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sandbox-" + name + "-webhooks"));
        this.httpExecutor = Executors.newFixedThreadPool(2, r -> daemon(r, "sandbox-" + name + "-webhook-http"));
        this.client = HttpClient.newBuilder()
                .connectTimeout(policy.requestTimeout())
                .executor(httpExecutor)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public RetryPolicy policy() {
        return policy;
    }

    /** Queues a delivery of {@code body} (the event JSON) to {@code target}. */
    public void deliver(Target target, String eventId, byte[] body) {
        if (closed) {
            return;
        }
        boolean duplicate;
        boolean delayed;
        boolean dropped;
        synchronized (random) {
            duplicate = random.nextDouble() < faults.webhookDuplicateRatio();
            delayed = random.nextDouble() < faults.webhookOutOfOrderRatio();
            // Drawn only while the knob is on, so sandboxes that never drop see the same duplicate/delay sequence
            // for a seed as before the knob existed.
            double drop = faults.webhookDropRatio();
            dropped = drop > 0 && random.nextDouble() < drop;
        }
        long delay = delayed ? faults.webhookOutOfOrderDelayMs() : 0;
        Delivery original = new Delivery("whd_" + deliverySeq.incrementAndGet(), target, eventId, body, false, delayed);
        if (dropped) {
            Attempt a = new Attempt(original.id, target.endpointId(), eventId, 1, 0, DROPPED, clock.instant(), false,
                    delayed);
            synchronized (this) {
                attempts.add(a);
            }
            done(original, false);
            return;
        }
        schedule(original, 1, delay);
        if (duplicate) {
            Delivery copy = new Delivery("whd_" + deliverySeq.incrementAndGet(), target, eventId, body, true, delayed);
            schedule(copy, 1, delay + 20);
        }
    }

    /** All attempts so far, in the order they finished. */
    public synchronized List<Attempt> attempts() {
        return new ArrayList<>(attempts);
    }

    public synchronized void clearAttempts() {
        attempts.clear();
    }

    private record Delivery(String id, Target target, String eventId, byte[] body, boolean duplicate,
                            boolean delayed) {
    }

    private void schedule(Delivery d, int attempt, long delayMillis) {
        if (closed) {
            return;
        }
        try {
            scheduler.schedule(() -> send(d, attempt), delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("webhook dispatcher closed; dropping delivery of {}", d.eventId);
        }
    }

    private void send(Delivery d, int attempt) {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        HttpRequest.Builder rb = HttpRequest.newBuilder(d.target.url())
                .timeout(policy.requestTimeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofByteArray(d.body));
        signer.headers(d.target.secret(), d.target.url(), d.body, now).forEach(rb::header);
        client.sendAsync(rb.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
            int status = resp == null ? 0 : resp.statusCode();
            String error = err == null ? null : describe(err);
            Attempt a = new Attempt(d.id, d.target.endpointId(), d.eventId, attempt, status, error, now, d.duplicate,
                    d.delayed);
            synchronized (this) {
                attempts.add(a);
            }
            if (a.succeeded()) {
                done(d, true);
            } else if (attempt < policy.maxAttempts()) {
                schedule(d, attempt + 1, policy.backoffBefore(attempt + 1).toMillis());
            } else {
                LOG.debug("giving up delivering {} to {} after {} attempts", d.eventId, d.target.url(), attempt);
                done(d, false);
            }
        });
    }

    private void done(Delivery d, boolean success) {
        if (!d.duplicate && finished != null) {
            finished.accept(d.eventId, success);
        }
    }

    private static String describe(Throwable err) {
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause() : err;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        httpExecutor.shutdownNow();
    }
}

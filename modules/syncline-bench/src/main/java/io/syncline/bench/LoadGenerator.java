package io.syncline.bench;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Drives one URL with Jetty's {@link HttpClient}, either closed-loop (a fixed number of requests always outstanding:
 * the server's saturation throughput) or open-loop at a constant rate, where each request's latency runs from the
 * time it was <em>scheduled</em> to be sent, so a stalled server is charged for every request that queued behind
 * the stall (no coordinated omission).
 */
public final class LoadGenerator implements AutoCloseable {

    /** What one run saw in its measured window (warm-up excluded). */
    public record Result(String label, double seconds, long ok, long errors, long[] latenciesNanos) {
        public double rate() {
            return ok / seconds;
        }

        public double percentileMillis(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, i)] / 1e6;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-8s %8.0f req/s  ok %7d  errors %5d  p50 %7.2f ms  p99 %8.2f ms  "
                    + "max %8.2f ms", label, rate(), ok, errors, percentileMillis(0.50), percentileMillis(0.99),
                    percentileMillis(1.0));
        }
    }

    /** The request every run sends: body and headers, prepared by the caller (e.g. freshly signed); no body: a GET. */
    public record Request(URI uri, Map<String, String> headers, byte[] body) {
    }

    private final HttpClient client;

    /** @param maxConnections connections to the target at most; more requests queue in the client */
    public LoadGenerator(int maxConnections) throws Exception {
        client = new HttpClient();
        client.setMaxConnectionsPerDestination(maxConnections);
        // Open-loop runs may queue many requests behind a slow server; that wait is part of their latency.
        client.setMaxRequestsQueuedPerDestination(1 << 20);
        client.setFollowRedirects(false);
        client.start();
    }

    /** {@code concurrency} requests always outstanding for warm-up + measure seconds; rate over the measured part. */
    public Result closedLoop(String label, Request request, int concurrency, double warmupSeconds, double measureSeconds)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long measureUntil = measureFrom + (long) (measureSeconds * 1e9);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long[] latencies = new long[1 << 22];
        AtomicLong recorded = new AtomicLong();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            new Runnable() {
                @Override
                public void run() {
                    long sent = System.nanoTime();
                    if (sent >= measureUntil) {
                        done.countDown();
                        return;
                    }
                    send(request, status -> {
                        long now = System.nanoTime();
                        if (sent >= measureFrom && now <= measureUntil) {
                            if (status / 100 == 2) {
                                ok.incrementAndGet();
                                long n = recorded.getAndIncrement();
                                if (n < latencies.length) {
                                    latencies[(int) n] = now - sent;
                                }
                            } else {
                                errors.incrementAndGet();
                            }
                        }
                        run();
                    });
                }
            }.run();
        }
        if (!done.await((long) (measureSeconds + warmupSeconds) + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(label + ": requests still outstanding a minute after the run");
        }
        long[] sorted = Arrays.copyOf(latencies, (int) Math.min(latencies.length, recorded.get()));
        Arrays.sort(sorted);
        return new Result(label, measureSeconds, ok.get(), errors.get(), sorted);
    }

    /**
     * Sends at {@code ratePerSecond} for warm-up + measure seconds regardless of how the server keeps up; requests
     * scheduled in the measured window are counted, each latency from its scheduled send time to its response.
     */
    public Result openLoop(String label, Request request, double ratePerSecond, double warmupSeconds,
                           double measureSeconds) throws InterruptedException {
        return openLoop(label, i -> request, ratePerSecond, warmupSeconds, measureSeconds);
    }

    /**
     * The same with a request of its own for each send ({@code requests} gets the send's index and is called at its
     * scheduled time, so a signature made there is fresh), e.g. events that must not be deduplicated.
     */
    public Result openLoop(String label, IntFunction<Request> requests, double ratePerSecond,
                           double warmupSeconds, double measureSeconds) throws InterruptedException {
        long interval = (long) (1e9 / ratePerSecond);
        long start = System.nanoTime() + 10_000_000L;
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long end = measureFrom + (long) (measureSeconds * 1e9);
        int total = (int) ((end - start) / interval);
        int firstMeasured = (int) ((measureFrom - start + interval - 1) / interval);
        AtomicLongArray latency = new AtomicLongArray(total);
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(total);
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            send(requests.apply(i), status -> {
                if (status / 100 == 2) {
                    latency.set(index, System.nanoTime() - scheduled);
                } else {
                    latency.set(index, -1);
                    errors.incrementAndGet();
                }
                done.countDown();
            });
        }
        boolean finished = done.await(60, TimeUnit.SECONDS);
        long[] measured = new long[total - firstMeasured];
        int n = 0;
        long failed = 0;
        for (int i = firstMeasured; i < total; i++) {
            long l = latency.get(i);
            if (l > 0) {
                measured[n++] = l;
            } else {
                failed++; // an error, or no answer within a minute after the run
            }
        }
        long[] sorted = Arrays.copyOf(measured, n);
        Arrays.sort(sorted);
        if (!finished) {
            System.out.printf(Locale.ROOT, "%s: %d requests unanswered a minute after the run%n", label, done.getCount());
        }
        return new Result(label, measureSeconds, n, failed, sorted);
    }

    private void send(Request request, IntConsumer onStatus) {
        var r = client.newRequest(request.uri()).headers(h -> request.headers().forEach(h::put))
                .timeout(30, TimeUnit.SECONDS);
        if (request.body() == null) {
            r.method(HttpMethod.GET);
        } else {
            r.method(HttpMethod.POST).body(new BytesRequestContent("application/json", request.body()));
        }
        r.send(result -> onStatus.accept(result.isFailed() ? -1 : result.getResponse().getStatus()));
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}

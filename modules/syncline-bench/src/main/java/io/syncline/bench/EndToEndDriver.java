package io.syncline.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.syncline.cli.dist.SynclineProcess;
import io.syncline.cli.up.PipelineStats;
import io.syncline.kafka.FreePorts;
import io.syncline.sandbox.payments.StripeSignature;

/**
 * Load driver for issue 5 §5: end-to-end latency at a steady rate on {@code syncline up}, from a webhook the gateway
 * accepts to the CRM acknowledging the contact write.
 *
 * <p>Runs the distribution's {@code up --demo} (payments generator almost idle), then posts Stripe-signed
 * {@code charge.succeeded} webhooks to the gateway at a constant arrival rate (open model: each request is sent at
 * its scheduled time whatever the previous ones did), each for one of {@code --contacts} payers, so every event
 * becomes a contact upsert in the CRM sandbox through raw topic, normalizer (exactly-once), canonical topic and CRM
 * sink. The end-to-end figures are the sink's own (from the canonical record's ingested-at, the gateway's receive
 * time, to the CRM's acknowledgement), p50/p99 over the last minute, read from {@code pipeline-stats.json} at the end
 * of the steady window. It also reports the gateway's accept latency seen by the driver and whether every event was
 * delivered.
 *
 * <p>{@code java -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.EndToEndDriver
 * [--dist modules/syncline-cli/target/syncline] [--rate 500] [--warmup 20] [--seconds 60] [--contacts 5000]
 * [--java-opts "-Xmx1500m"]}
 */
public final class EndToEndDriver {

    private EndToEndDriver() {
    }

    public static void main(String[] args) throws Exception {
        Path dist = Path.of("modules/syncline-cli/target/syncline");
        int rate = 500;
        int warmup = 20;
        int seconds = 60;
        int contacts = 5000;
        String javaOpts = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dist" -> dist = Path.of(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--contacts" -> contacts = Integer.parseInt(args[++i]);
                case "--java-opts" -> javaOpts = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; expected --dist DIR, --rate N, --warmup S, --seconds S, --contacts N, --java-opts \"...\"");
            }
        }
        Path work = Files.createTempDirectory("syncline-e2e-bench");
        Path dataDir = work.resolve("data");
        int gatewayPort = FreePorts.pick();
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + "; load average at start: " + loadAverage());
        List<String> upArgs = List.of("up", "--demo", "--demo-rate", "0.2", "--data-dir", dataDir.toString(),
                "--config", work.resolve("no-syncline.yaml").toString(), "--kafka-port", "0",
                "--kafka-controller-port", "0", "--registry-port", "0", "--connect-port", "0",
                "--gateway-port", String.valueOf(gatewayPort), "--payments-sandbox-port", "0",
                "--crm-sandbox-port", "0");
        System.out.println("up: " + String.join(" ", upArgs) + (javaOpts.isEmpty() ? "" : " with SYNCLINE_JAVA_OPTS="
                + javaOpts));
        try (SynclineProcess up = SynclineProcess.start(dist, work, upArgs,
                javaOpts.isEmpty() ? Map.of() : Map.of("SYNCLINE_JAVA_OPTS", javaOpts))) {
            up.awaitLine("Syncline is up", Duration.ofMinutes(5));
            String secret = Files.readString(dataDir.resolve("demo/stripe-webhook.secret")).strip();
            Load load = new Load(URI.create("http://localhost:" + gatewayPort + "/webhooks/stripe"), secret, contacts);
            System.out.println("warm-up: " + warmup + " s at " + rate + "/s");
            load.run(rate, Duration.ofSeconds(warmup));
            long deliveredBefore = delivered(dataDir);
            load.reset();
            System.out.println("steady: " + seconds + " s at " + rate + "/s");
            load.run(rate, Duration.ofSeconds(seconds));
            Optional<PipelineStats.SinkStats> atEnd = sink(dataDir);
            // Where the backlog is, if there is one: the pipeline section of status at the end of the steady window.
            java.io.StringWriter status = new java.io.StringWriter();
            io.syncline.cli.SynclineCli.commandLine().setOut(new java.io.PrintWriter(status, true))
                    .execute("status", "--data-dir", dataDir.toString());
            String pipeline = status.toString();
            int from = pipeline.indexOf("Pipeline");
            int to = pipeline.indexOf("Topics");
            System.out.println(from >= 0 && to > from ? pipeline.substring(from, to) : pipeline);
            long sentTotal = load.accepted.get() + load.acceptedBefore;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            long delivered = delivered(dataDir);
            while (delivered < sentTotal && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                delivered = delivered(dataDir);
            }
            System.out.println();
            System.out.println("| rate | steady | sent (2xx) | rejected/failed | gateway accept p50 / p99 | "
                    + "end to end p50 / p99 (sink, last minute) | delivered / accepted | load average |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| %d/s | %d s | %d | %d | %d ms / %d ms | %s | %d / %d | %s |%n", rate,
                    seconds, load.accepted.get(), load.failed.get(), load.percentile(0.5), load.percentile(0.99),
                    atEnd.map(s -> s.p50Millis() + " ms / " + s.p99Millis() + " ms (" + s.latencyCount() + " changes)")
                            .orElse("no stats"), delivered, sentTotal, loadAverage());
            System.out.println("(delivered before the steady window: " + deliveredBefore + ")");
        }
    }

    private static long delivered(Path dataDir) {
        return sink(dataDir).map(PipelineStats.SinkStats::delivered).orElse(0L);
    }

    private static Optional<PipelineStats.SinkStats> sink(Path dataDir) {
        return PipelineStats.read(dataDir).map(m -> m.get("demo-crm-contacts"));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "n/a";
        }
    }

    /** Signed webhooks at a constant arrival rate; accept latency from each request's scheduled time. */
    private static final class Load {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final URI uri;
        private final String secret;
        private final int contacts;
        private final AtomicLong accepted = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
        /**
         * At most this many requests in flight, as a provider's webhook sender has a bounded pool: the JDK client opens
         * one HTTP/1.1 connection per concurrent request, and an unbounded sender against a slowed server ended with
         * thousands of connections (and their buffers) in the gateway. A request that must wait for a slot is still
         * timed from its scheduled send time, so the wait counts against the latency.
         */
        private final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(128);
        private long acceptedBefore;
        private long seq;

        Load(URI uri, String secret, int contacts) {
            this.uri = uri;
            this.secret = secret;
            this.contacts = contacts;
        }

        void reset() {
            acceptedBefore += accepted.getAndSet(0);
            failed.set(0);
            latenciesMicros.clear();
        }

        void run(int rate, Duration duration) {
            long interval = 1_000_000_000L / rate;
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            List<CompletableFuture<?>> inFlight = new ArrayList<>();
            for (long scheduled = start; scheduled < end; scheduled += interval) {
                long wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long at = scheduled;
                slots.acquireUninterruptibly();
                inFlight.add(send().whenComplete((r, e) -> {
                    slots.release();
                    if (e == null && r.statusCode() / 100 == 2) {
                        accepted.incrementAndGet();
                        latenciesMicros.add((System.nanoTime() - at) / 1000);
                    } else {
                        failed.incrementAndGet();
                    }
                }));
                if (inFlight.size() > 10_000) {
                    inFlight.removeIf(CompletableFuture::isDone);
                }
            }
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        }

        private CompletableFuture<HttpResponse<Void>> send() {
            long n = ++seq;
            long now = Instant.now().getEpochSecond();
            int payer = (int) (n % contacts);
            long amount = 100 + ThreadLocalRandom.current().nextInt(100_000);
            String body = ("{\"id\":\"evt_e2e_%d\",\"object\":\"event\",\"type\":\"charge.succeeded\",\"created\":%d,"
                    + "\"livemode\":false,\"api_version\":\"2024-06-20\",\"data\":{\"object\":{\"id\":\"ch_e2e_%d\","
                    + "\"object\":\"charge\",\"amount\":%d,\"amount_captured\":%d,\"amount_refunded\":0,"
                    + "\"currency\":\"usd\",\"status\":\"succeeded\",\"paid\":true,\"captured\":true,"
                    + "\"refunded\":false,\"customer\":\"cus_e2e_%d\",\"created\":%d,\"livemode\":false,"
                    + "\"description\":\"Load test payment\",\"payment_method_details\":{\"type\":\"card\","
                    + "\"card\":{\"brand\":\"visa\",\"last4\":\"4242\"}},\"billing_details\":{\"name\":\"Payer %d\","
                    + "\"email\":\"payer%d@example.com\",\"address\":{\"city\":\"Berlin\",\"country\":\"DE\"}},"
                    + "\"metadata\":{\"order\":\"%d\"}}}}").formatted(n, now, n, amount, amount, payer, now, payer,
                    payer, n);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header(StripeSignature.HEADER, StripeSignature.header(secret, bytes, now))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        }

        long percentile(double q) {
            List<Long> sorted;
            synchronized (latenciesMicros) {
                sorted = new ArrayList<>(latenciesMicros);
            }
            if (sorted.isEmpty()) {
                return -1;
            }
            Collections.sort(sorted);
            return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1)) / 1000;
        }
    }
}

package io.syncline.bench.sink;

import static io.syncline.bench.BenchSupport.median;
import static io.syncline.bench.BenchSupport.options;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.javalin.Javalin;
import io.syncline.bench.BenchSupport;
import io.syncline.connect.http.HttpSinkTask;
import io.syncline.registry.connect.AvroConverter;
import io.syncline.registry.serde.KafkaAvroSerializer;
import io.syncline.schemas.common.ChangeMetadata;
import io.syncline.schemas.common.Operation;
import io.syncline.schemas.finance.Customer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.sink.SinkRecord;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
/**
 * Load driver: changes per second the generic HTTP sink delivers ({@link HttpSinkTask} fed canonical customer
 * {@link SinkRecord}s through {@code put()} in batches of 500, as a worker does, without Kafka or Connect) against a
 * plain Jetty {@link HttpClient} sending the same bodies (captured from the sink) to the same URLs with the same
 * number of concurrent requests ({@code delivery.lanes} threads, each one request at a time), alternating rounds.
 *
 * <pre>
 * java -Xmx1g -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.sink.HttpSinkBench \
 *     [--records 20000] [--keys 5000] [--lanes 8] [--rounds 3] [--latency-ms 0]
 * </pre>
 *
 * The target is a loopback Javalin server answering {@code PUT /v1/customers/{id}} with 200 after {@code --latency-ms}
 * (the wait is a scheduled completion, so it holds no server thread).
 */
public final class HttpSinkBench {

    private static final String TOPIC = "canonical.finance.customer.v1";
    private static final int PARTITIONS = 4;
    private static final int POLL_BATCH = 500;

    private HttpSinkBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.Options opts = options(args, Map.of("records", "20000", "keys", "5000", "lanes", "8",
                "rounds", "3", "latency-ms", "0"));
        int records = opts.integer("records");
        int keys = opts.integer("keys");
        int lanes = opts.integer("lanes");
        int rounds = opts.integer("rounds");
        long latencyMs = opts.longValue("latency-ms");

        List<SinkRecord> input = canonicalCustomers(records, keys);
        try (Target target = new Target(latencyMs)) {
            Map<String, String> props = new HashMap<>();
            props.put("name", "bench-http-sink");
            props.put("http.url", target.url() + "/v1/customers/{/metadata/source_id}");
            props.put("http.method", "PUT");
            props.put("delivery.lanes", Integer.toString(lanes));
            props.put("delivery.permanent.failure", "fail");
            props.put("outbound.allow.list", "127.0.0.1:" + target.port());
            props.put("outbound.allow.plain.http", "127.0.0.1:" + target.port());

            // Warm-up (JIT) and capture of the exact requests the sink sends, which the baseline then replays.
            target.capture = true;
            sink(props, input);
            target.capture = false;
            List<Target.Captured> requests = new ArrayList<>(target.captured);
            if (requests.size() != records) {
                throw new IllegalStateException("captured " + requests.size() + " requests for " + records + " records");
            }
            int bodyBytes = requests.stream().mapToInt(c -> c.body().length).sum() / records;
            try (Plain plain = new Plain(lanes)) {
                plain.run(requests);
                sink(props, input);
                plain.run(requests);
                System.out.printf(Locale.ROOT, "%d records over %d keys, %d partitions, body ~%d bytes, %d lanes, "
                        + "target latency %d ms%n", records, keys, PARTITIONS, bodyBytes, lanes, latencyMs);
                double[] sinkRates = new double[rounds];
                double[] plainRates = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    if (r % 2 == 0) {
                        sinkRates[r] = records / sink(props, input);
                        plainRates[r] = records / plain.run(requests);
                    } else {
                        plainRates[r] = records / plain.run(requests);
                        sinkRates[r] = records / sink(props, input);
                    }
                    System.out.printf(Locale.ROOT, "round %d: plain client %8.0f changes/s, sink task %8.0f "
                            + "changes/s, ratio %.2f%n", r + 1, plainRates[r], sinkRates[r],
                            sinkRates[r] / plainRates[r]);
                }
                double[] ratios = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratios[r] = sinkRates[r] / plainRates[r];
                }
                System.out.printf(Locale.ROOT, "median: plain %.0f, sink %.0f changes/s; ratio of medians %.2f, "
                        + "median of round ratios %.2f%n", median(plainRates), median(sinkRates),
                        median(sinkRates) / median(plainRates), median(ratios));
            }
        }
    }

    /** Seconds for a fresh task to deliver every record (start() excluded), fed as a worker feeds it. */
    private static double sink(Map<String, String> props, List<SinkRecord> input) throws InterruptedException {
        HttpSinkTask task = new HttpSinkTask();
        SinkBenchContext context = new SinkBenchContext(TOPIC, PARTITIONS);
        task.initialize(context);
        task.start(props);
        task.open(context.assignment());
        try {
            long start = System.nanoTime();
            int next = 0;
            while (next < input.size()) {
                if (context.paused.get()) {
                    task.put(List.of()); // the worker keeps calling put while paused; put waits for the lanes
                    continue;
                }
                int end = Math.min(input.size(), next + POLL_BATCH);
                task.put(input.subList(next, end));
                next = end;
            }
            while (task.stats().delivered() < input.size()) {
                task.put(List.of());
                task.engine().awaitBufferedAtMost(0, Duration.ofMillis(100));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (task.stats().delivered() != input.size() || task.stats().deadLettered() != 0) {
                throw new IllegalStateException("sink: " + task.stats());
            }
            return seconds;
        } finally {
            task.stop();
        }
    }

    /** Canonical customers as a sink task gets them: Avro bytes read back through our converter. */
    private static List<SinkRecord> canonicalCustomers(int records, int keys) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        AvroConverter converter = new AvroConverter();
        serializer.configure(Map.of("schema.registry.url", "mock://http-sink-bench"), false);
        converter.configure(Map.of("schema.registry.url", "mock://http-sink-bench"), false);
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        long[] offsets = new long[PARTITIONS];
        List<SinkRecord> out = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            String sourceId = String.format(Locale.ROOT, "cus_%08d", i % keys);
            Instant updated = base.plusMillis(i); // later changes of a key are newer: none is skipped as stale
            Customer customer = Customer.newBuilder()
                    .setId("stripe:" + sourceId)
                    .setMetadata(ChangeMetadata.newBuilder().setSourceSystem("stripe").setSourceObjectType("customer")
                            .setSourceId(sourceId).setOperation(Operation.UPSERT).setSourceUpdatedAt(updated)
                            .setIngestedAt(updated.plusMillis(5)).setEventId("evt_" + i).build())
                    .setEmail("customer" + (i % keys) + "@example.com")
                    .setName("Jane van Dyke " + (i % keys))
                    .setPhone("+1 555 0100")
                    .setCurrency("USD")
                    .setCreatedAt(base)
                    .setUpdatedAt(updated)
                    .build();
            SchemaAndValue value = converter.toConnectData(TOPIC, serializer.serialize(TOPIC, customer));
            int partition = Math.floorMod(sourceId.hashCode(), PARTITIONS);
            out.add(new SinkRecord(TOPIC, partition, Schema.STRING_SCHEMA, "stripe:" + sourceId, value.schema(),
                    value.value(), offsets[partition]++));
        }
        return out;
    }

    /** The baseline: {@code concurrency} threads, each sending the next captured request and waiting for it. */
    private static final class Plain implements AutoCloseable {
        private final HttpClient client;
        private final int concurrency;

        Plain(int concurrency) throws Exception {
            this.concurrency = concurrency;
            client = new HttpClient();
            client.setMaxConnectionsPerDestination(concurrency + 1); // as the sink's client is configured
            client.setFollowRedirects(false);
            client.start();
        }

        double run(List<Target.Captured> requests) throws InterruptedException {
            AtomicInteger next = new AtomicInteger();
            AtomicLong failed = new AtomicLong();
            Thread[] threads = new Thread[concurrency];
            long start = System.nanoTime();
            for (int t = 0; t < concurrency; t++) {
                threads[t] = new Thread(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < requests.size()) {
                        Target.Captured c = requests.get(i);
                        try {
                            ContentResponse response = client.newRequest(c.uri()).method(HttpMethod.PUT)
                                    .headers(h -> h.put("Idempotency-Key", c.idempotencyKey()))
                                    .body(new BytesRequestContent("application/json", c.body()))
                                    .timeout(30, TimeUnit.SECONDS).send();
                            if (response.getStatus() / 100 != 2) {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                }, "plain-client-" + t);
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (failed.get() > 0) {
                throw new IllegalStateException("plain client: " + failed.get() + " requests failed");
            }
            return seconds;
        }

        @Override
        public void close() throws Exception {
            client.stop();
        }
    }

    /** A loopback target: 200 to every PUT after the configured latency; optionally keeps what it was sent. */
    private static final class Target implements AutoCloseable {
        record Captured(URI uri, String idempotencyKey, byte[] body) {
        }

        final List<Captured> captured = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile boolean capture;
        private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();
        private final Javalin app;

        Target(long latencyMs) {
            QueuedThreadPool pool = new QueuedThreadPool(200, 8, 60_000);
            pool.setName("bench-target");
            app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.startup.showOldJavalinVersionWarning = false;
                cfg.jetty.threadPool = pool;
                cfg.routes.put("/v1/customers/{id}", ctx -> {
                    byte[] body = ctx.bodyAsBytes();
                    if (capture) {
                        captured.add(new Captured(URI.create(url() + ctx.path()), ctx.header("Idempotency-Key"),
                                body));
                    }
                    String answer = "{\"id\":\"" + ctx.pathParam("id") + "\",\"updated\":true}";
                    if (latencyMs <= 0) {
                        ctx.status(200).contentType("application/json").result(answer);
                        return;
                    }
                    CompletableFuture<Void> later = new CompletableFuture<>();
                    delays.schedule(() -> later.complete(null), latencyMs, TimeUnit.MILLISECONDS);
                    ctx.future(() -> later.thenRun(() -> ctx.status(200).contentType("application/json")
                            .result(answer)));
                });
            }).start("127.0.0.1", 0);
        }

        int port() {
            return app.port();
        }

        String url() {
            return "http://127.0.0.1:" + port();
        }

        @Override
        public void close() {
            app.stop();
            delays.shutdownNow();
        }
    }
}

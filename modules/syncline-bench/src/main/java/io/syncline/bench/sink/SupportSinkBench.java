package io.syncline.bench.sink;

import static io.syncline.bench.BenchSupport.median;
import static io.syncline.bench.BenchSupport.options;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.bench.BenchSupport;
import io.syncline.connect.support.SupportSinkTask;
import io.syncline.registry.connect.AvroConverter;
import io.syncline.registry.serde.KafkaAvroSerializer;
import io.syncline.sandbox.support.SupportSandbox;
import io.syncline.schemas.common.ChangeMetadata;
import io.syncline.schemas.common.Money;
import io.syncline.schemas.common.Operation;
import io.syncline.schemas.finance.Payment;
import io.syncline.schemas.finance.PaymentStatus;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Load driver: changes per second the support sink delivers ({@link SupportSinkTask} with its defaults, fed failed
 * canonical payments through {@code put()} as a worker does, without Kafka or Connect: each becomes a lookup by
 * external id and a ticket create) against a plain JDK {@link HttpClient} doing the same writes (the same lookup, then
 * the same create with its Idempotency-Key) with the same concurrency ({@code delivery.lanes} threads), each side
 * against a fresh support sandbox, alternating rounds.
 *
 * <pre>
 * java -Xmx1g -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.sink.SupportSinkBench \
 *     [--records 2000] [--lanes 4] [--rounds 3] [--latency-ms 0]
 * </pre>
 */
public final class SupportSinkBench {

    private static final String TOPIC = "canonical.finance.payment.v1";
    private static final int PARTITIONS = 4;
    private static final int POLL_BATCH = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SupportSinkBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.Options opts = options(args, Map.of("records", "2000", "lanes", "4", "rounds", "3",
                "latency-ms", "0"));
        int records = opts.integer("records");
        int lanes = opts.integer("lanes");
        int rounds = opts.integer("rounds");
        long latencyMs = opts.longValue("latency-ms");
        List<SinkRecord> input = failedPayments(records);
        HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        sink(input, lanes, latencyMs); // warm-up (JIT) of both sides
        plain(jdk, records, lanes, latencyMs);
        System.out.printf(Locale.ROOT, "%d failed payments, %d lanes, desk latency %d ms%n", records, lanes,
                latencyMs);
        double[] sinkRates = new double[rounds];
        double[] plainRates = new double[rounds];
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                sinkRates[r] = records / sink(input, lanes, latencyMs);
                plainRates[r] = records / plain(jdk, records, lanes, latencyMs);
            } else {
                plainRates[r] = records / plain(jdk, records, lanes, latencyMs);
                sinkRates[r] = records / sink(input, lanes, latencyMs);
            }
            ratios[r] = sinkRates[r] / plainRates[r];
            System.out.printf(Locale.ROOT, "round %d: plain client %6.0f changes/s, sink task %6.0f changes/s, "
                    + "ratio %.2f%n", r + 1, plainRates[r], sinkRates[r], ratios[r]);
        }
        System.out.printf(Locale.ROOT, "median: plain %.0f, sink %.0f changes/s; median of round ratios %.2f "
                + "(goal >= 0.80)%n", median(plainRates), median(sinkRates), median(ratios));
    }

    private static SupportSandbox desk(long latencyMs) {
        SupportSandbox desk = SupportSandbox.builder().port(0).rateLimitPerMinute(0).requestLogCapacity(16).build()
                .start();
        desk.faults().latency(latencyMs, 0);
        return desk;
    }

    /** Seconds for a fresh task to open a ticket per record on a fresh desk (start() excluded). */
    private static double sink(List<SinkRecord> input, int lanes, long latencyMs) throws InterruptedException {
        try (SupportSandbox desk = desk(latencyMs)) {
            Map<String, String> props = new HashMap<>();
            props.put("name", "bench-support-sink");
            props.put("zendesk.url", desk.url());
            props.put("auth.basic.username", desk.agentEmail() + "/token");
            props.put("auth.basic.password", SupportSandbox.DEFAULT_API_TOKEN);
            props.put("delivery.lanes", Integer.toString(lanes));
            props.put("delivery.permanent.failure", "fail");
            props.put("rate.limit.window.requests", "0");
            props.put("outbound.allow.list", "127.0.0.1:" + desk.port());
            props.put("outbound.allow.plain.http", "127.0.0.1:" + desk.port());
            SupportSinkTask task = new SupportSinkTask();
            SinkBenchContext context = new SinkBenchContext(TOPIC, PARTITIONS);
            task.initialize(context);
            task.start(props);
            task.open(context.assignment());
            try {
                long start = System.nanoTime();
                int next = 0;
                while (next < input.size()) {
                    if (context.paused.get()) {
                        task.put(List.of());
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
                if (task.stats().delivered() != input.size() || desk.objectIds("tickets").size() != input.size()) {
                    throw new IllegalStateException("sink: " + task.stats() + ", tickets "
                            + desk.objectIds("tickets").size());
                }
                return seconds;
            } finally {
                task.stop();
            }
        }
    }

    /** Seconds for {@code lanes} threads to look each ticket up by external id and create it, on a fresh desk. */
    private static double plain(HttpClient http, int records, int lanes, long latencyMs) throws Exception {
        try (SupportSandbox desk = desk(latencyMs)) {
            String auth = "Basic " + Base64.getEncoder().encodeToString((desk.agentEmail() + "/token:"
                    + SupportSandbox.DEFAULT_API_TOKEN).getBytes(StandardCharsets.UTF_8));
            AtomicInteger next = new AtomicInteger();
            AtomicLong failed = new AtomicLong();
            Thread[] threads = new Thread[lanes];
            long start = System.nanoTime();
            for (int t = 0; t < lanes; t++) {
                threads[t] = new Thread(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < records) {
                        String external = "syncline:stripe:ch_" + i;
                        try {
                            HttpResponse<byte[]> found = http.send(HttpRequest.newBuilder(URI.create(desk.url()
                                    + "/api/v2/tickets.json?external_id=" + URLEncoder.encode(external,
                                    StandardCharsets.UTF_8))).header("Authorization", auth).GET().build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
                            if (found.statusCode() != 200 || JSON.readTree(found.body()).path("tickets").size() != 0) {
                                failed.incrementAndGet();
                                continue;
                            }
                            HttpResponse<byte[]> created = http.send(HttpRequest.newBuilder(URI.create(desk.url()
                                    + "/api/v2/tickets.json")).header("Authorization", auth)
                                    .header("Content-Type", "application/json")
                                    .header("Idempotency-Key", "evt_" + i + ":ticket " + external)
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(ticket(i))).build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
                            if (created.statusCode() / 100 != 2) {
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
                throw new IllegalStateException("plain client: " + failed.get() + " tickets failed");
            }
            return seconds;
        }
    }

    /** The create body the sink's defaults produce for payment {@code i}. */
    private static byte[] ticket(int i) throws Exception {
        ObjectNode t = JSON.createObjectNode();
        t.put("subject", "Payment failed: Your card was declined.");
        t.put("type", "problem");
        t.put("priority", "high");
        t.put("external_id", "syncline:stripe:ch_" + i);
        t.putObject("requester").put("email", "payer" + i + "@example.com").put("name", "Payer " + i);
        t.putObject("comment").put("body", String.format(Locale.ROOT, "Payment stripe:ch_%d of %.2f EUR failed: "
                + "Your card was declined. (card_declined)", i, (1000 + i % 1000) / 100.0)).put("public", false);
        ObjectNode w = JSON.createObjectNode();
        w.set("ticket", t);
        return JSON.writeValueAsBytes(w);
    }

    /** Failed canonical payments as a sink task gets them: Avro bytes read back through our converter. */
    private static List<SinkRecord> failedPayments(int records) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        AvroConverter converter = new AvroConverter();
        serializer.configure(Map.of("schema.registry.url", "mock://support-sink-bench"), false);
        converter.configure(Map.of("schema.registry.url", "mock://support-sink-bench"), false);
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        long[] offsets = new long[PARTITIONS];
        List<SinkRecord> out = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            String id = "ch_" + i;
            Payment payment = Payment.newBuilder()
                    .setId("stripe:" + id)
                    .setMetadata(ChangeMetadata.newBuilder().setSourceSystem("stripe").setSourceObjectType("charge")
                            .setSourceId(id).setOperation(Operation.UPSERT).setSourceUpdatedAt(base)
                            .setIngestedAt(base.plusMillis(5)).setEventId("evt_" + i).build())
                    .setAmount(new Money(1000L + i % 1000, "EUR"))
                    .setAmountRefunded(new Money(0L, "EUR"))
                    .setStatus(PaymentStatus.FAILED)
                    .setFailureCode("card_declined")
                    .setFailureMessage("Your card was declined.")
                    .setBillingName("Payer " + i)
                    .setBillingEmail("payer" + i + "@example.com")
                    .setCreatedAt(base)
                    .setUpdatedAt(base)
                    .build();
            SchemaAndValue value = converter.toConnectData(TOPIC, serializer.serialize(TOPIC, payment));
            int partition = Math.floorMod(id.hashCode(), PARTITIONS);
            out.add(new SinkRecord(TOPIC, partition, Schema.STRING_SCHEMA, "stripe:" + id, value.schema(),
                    value.value(), offsets[partition]++));
        }
        return out;
    }
}

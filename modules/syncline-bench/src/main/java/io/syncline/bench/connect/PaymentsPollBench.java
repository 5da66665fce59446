package io.syncline.bench.connect;

import static io.syncline.bench.BenchSupport.options;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.bench.BenchSupport;
import io.syncline.connect.payments.PaymentsSourceTask;
import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.payments.PaymentsSandbox;

/**
 * Load driver: records per second the payments connector's task poll loop ({@code PaymentsSourceTask.poll()}, the
 * code a Connect worker calls, records built with headers and offsets) pulls from the payments sandbox during a
 * backfill, against a plain JDK {@link HttpClient} paging the same five list endpoints with the same page size and
 * parsing each page with Jackson, in the same run, alternating rounds.
 *
 * <pre>
 * java -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.connect.PaymentsPollBench \
 *     [--steps 15000] [--page-size 100] [--rounds 5] [--latency-ms 0]
 * </pre>
 *
 * Both sides are single-threaded, read every object once, and talk to the same sandbox (rate limit off, no faults,
 * optional added latency). Not measured: Kafka (the worker's producer); see docs/benchmarks.md for why.
 */
public final class PaymentsPollBench {

    private static final List<String> LIST_PATHS = List.of("/v1/customers", "/v1/charges", "/v1/payment_intents",
            "/v1/invoices", "/v1/refunds");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PaymentsPollBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.Options opts = options(args, Map.of("steps", "15000", "page-size", "100", "rounds", "5",
                "latency-ms", "0"));
        int steps = opts.integer("steps");
        int pageSize = opts.integer("page-size");
        int rounds = opts.integer("rounds");
        long latencyMs = opts.longValue("latency-ms");

        // History an hour old: the connector's backfill lists objects created up to the server clock minus 10 s.
        MutableClock clock = MutableClock.system();
        clock.advance(Duration.ofHours(-1));
        try (PaymentsSandbox sandbox = PaymentsSandbox.builder().port(0).seed(42).rateLimitPerSecond(0).clock(clock)
                .requestLogCapacity(16).build().start()) {
            long generated = System.nanoTime();
            sandbox.generator().runSteps(steps);
            clock.advance(Duration.ofHours(1));
            sandbox.faults().latency(latencyMs, 0);
            System.out.printf(Locale.ROOT, "sandbox: %d steps in %.1f s; page size %d; added latency %d ms%n", steps,
                    (System.nanoTime() - generated) / 1e9, pageSize, latencyMs);

            HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long expected = baseline(jdk, sandbox, pageSize).records();
            System.out.printf(Locale.ROOT, "objects in the five lists: %d%n", expected);
            PollBench.compare(rounds, "plain JDK client", 0.80, true, () -> baseline(jdk, sandbox, pageSize),
                    () -> connector(sandbox, pageSize, expected));
        }
    }

    /** Pages each list endpoint to its end with {@code starting_after}, parsing every page. */
    static PollBench.Run baseline(HttpClient http, PaymentsSandbox sandbox, int pageSize)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        long records = 0;
        long requests = 0;
        String auth = "Bearer " + sandbox.apiKey();
        long upper = Instant.now().getEpochSecond();
        for (String path : LIST_PATHS) {
            String after = null;
            while (true) {
                String url = sandbox.url() + path + "?limit=" + pageSize + "&created%5Blte%5D=" + upper
                        + (after == null ? "" : "&starting_after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                requests++;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(url + " answered " + response.statusCode());
                }
                JsonNode page = JSON.readTree(response.body());
                JsonNode data = page.path("data");
                records += data.size();
                if (!page.path("has_more").asBoolean() || data.isEmpty()) {
                    break;
                }
                after = data.get(data.size() - 1).path("id").asText();
            }
        }
        return new PollBench.Run(records, requests, System.nanoTime() - start);
    }

    /**
     * Runs a fresh task (no offsets: a backfill) over the five types until it has polled {@code expected} records;
     * timed from the first {@code poll()}, which includes each type's one request for the server clock.
     */
    static PollBench.Run connector(PaymentsSandbox sandbox, int pageSize, long expected) throws InterruptedException {
        Map<String, String> props = new HashMap<>();
        String objects = "customer,charge,payment_intent,invoice,refund";
        props.put("name", "bench");
        props.put("stripe.base.url", sandbox.url());
        props.put("auth.bearer.token", sandbox.apiKey());
        props.put("stripe.objects", objects);
        props.put("page.size", Integer.toString(pageSize));
        props.put("rate.limit.per.second", "10000");
        props.put("rate.limit.burst", "10000");
        props.put("outbound.allow.list", "127.0.0.1");
        props.put("outbound.allow.plain.http", "127.0.0.1");
        props.put("task.objects", objects);
        return PollBench.drain(new PaymentsSourceTask(), props, expected, r -> true);
    }
}

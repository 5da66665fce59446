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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.bench.BenchSupport;
import io.syncline.connect.crm.source.CrmObjectType;
import io.syncline.connect.crm.source.CrmSourceTask;
import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.crm.CrmSandbox;
import org.apache.kafka.connect.header.Header;

/**
 * Load driver (issue 11: a CRM source at least 0.9x a plain paging loop): records per second the CRM source's task poll
 * loop ({@code CrmSourceTask.poll()}, the code a Connect worker calls, records built with headers and offsets) pulls
 * from the CRM sandbox during a backfill, against a plain JDK {@link HttpClient} paging the same three list endpoints
 * with the same page size, properties and associations and parsing each page with Jackson, in the same run,
 * alternating rounds.
 *
 * <pre>
 * java -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.connect.CrmPollBench \
 *     [--steps 3000] [--page-size 100] [--rounds 5] [--latency-ms 0]
 * </pre>
 *
 * Both sides are single-threaded, read every live object once, and talk to the same sandbox (rate limits off, no
 * faults, optional added latency). The connector's retirements of merged-away ids are not counted (the baseline has
 * nothing like them). Not measured: Kafka (the worker's producer), as in {@link PaymentsPollBench}.
 */
public final class CrmPollBench {

    private static final List<CrmObjectType> TYPES = List.of(CrmObjectType.values());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT_ID = "syncline.event-id";

    private CrmPollBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.Options opts = options(args, Map.of("steps", "3000", "page-size", "100", "rounds", "5",
                "latency-ms", "0"));
        int steps = opts.integer("steps");
        int pageSize = opts.integer("page-size");
        int rounds = opts.integer("rounds");
        long latencyMs = opts.longValue("latency-ms");

        // History an hour old: the backfill leaves objects modified after its t0 (server clock minus 10 s) to search.
        MutableClock clock = MutableClock.system();
        clock.advance(Duration.ofHours(-1));
        try (CrmSandbox sandbox = CrmSandbox.builder().port(0).seed(42).tenSecondlyLimit(0).searchRequestsPerSecond(0)
                .clock(clock).requestLogCapacity(16).build().start()) {
            long generated = System.nanoTime();
            sandbox.generator().runSteps(steps);
            clock.advance(Duration.ofHours(1));
            sandbox.faults().latency(latencyMs, 0);
            System.out.printf(Locale.ROOT, "sandbox: %d steps in %.1f s; page size %d; added latency %d ms%n", steps,
                    (System.nanoTime() - generated) / 1e9, pageSize, latencyMs);

            HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long expected = baseline(jdk, sandbox, pageSize).records();
            System.out.printf(Locale.ROOT, "live objects in the three lists: %d%n", expected);
            PollBench.compare(rounds, "plain JDK client", 0.90, true, () -> baseline(jdk, sandbox, pageSize),
                    () -> connector(sandbox, pageSize, expected));
        }
    }

    /** Pages each list endpoint to its end with {@code after}, asking what the connector asks, parsing every page. */
    static PollBench.Run baseline(HttpClient http, CrmSandbox sandbox, int pageSize)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        long records = 0;
        long requests = 0;
        String auth = "Bearer " + CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN;
        for (CrmObjectType type : TYPES) {
            String query = "?limit=" + pageSize + "&properties=" + URLEncoder.encode(String.join(",",
                    type.defaultProperties()), StandardCharsets.UTF_8)
                    + (type.defaultAssociations().isEmpty() ? "" : "&associations=" + URLEncoder.encode(
                    String.join(",", type.defaultAssociations()), StandardCharsets.UTF_8));
            String after = null;
            while (true) {
                String url = sandbox.url() + "/crm/v3/objects/" + type.path() + query
                        + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                requests++;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(url + " answered " + response.statusCode());
                }
                JsonNode page = JSON.readTree(response.body());
                records += page.path("results").size();
                JsonNode next = page.path("paging").path("next").path("after");
                if (next.isMissingNode() || next.isNull()) {
                    break;
                }
                after = next.asText();
            }
        }
        return new PollBench.Run(records, requests, System.nanoTime() - start);
    }

    /**
     * Runs a fresh task (no offsets: a backfill) over the three types until it has polled {@code expected} object
     * records; timed from the first {@code poll()}, which includes each type's one request for the server clock.
     */
    static PollBench.Run connector(CrmSandbox sandbox, int pageSize, long expected) throws InterruptedException {
        Map<String, String> props = new HashMap<>();
        String objects = String.join(",", TYPES.stream().map(CrmObjectType::singular).toList());
        props.put("name", "bench");
        props.put("crm.url", sandbox.url());
        props.put("auth.bearer.token", CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN);
        props.put("crm.objects", objects);
        props.put("page.size", Integer.toString(pageSize));
        props.put("rate.limit.window.requests", "0");
        props.put("rate.limit.per.second", "10000");
        props.put("rate.limit.burst", "10000");
        props.put("outbound.allow.list", "127.0.0.1");
        props.put("outbound.allow.plain.http", "127.0.0.1");
        props.put("task.objects", objects);
        return PollBench.drain(new CrmSourceTask(), props, expected, r -> {
            Header id = r.headers().lastWithName(EVENT_ID);
            return id == null || !String.valueOf(id.value()).contains("@merged-into:");
        });
    }
}

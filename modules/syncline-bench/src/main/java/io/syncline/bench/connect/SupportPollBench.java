package io.syncline.bench.connect;

import static io.syncline.bench.BenchSupport.options;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.bench.BenchSupport;
import io.syncline.connect.support.SupportSourceTask;
import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.support.SupportSandbox;

/**
 * Load driver: records per second the support source's task poll loop ({@code SupportSourceTask.poll()}, the code a
 * Connect worker calls, records built with headers and offsets) pulls from the support sandbox's incremental exports
 * during a backfill, against a plain JDK {@link HttpClient} loop paging the same four exports with the same page size,
 * parsing each page with Jackson and dropping the time-based exports' page-edge repeats, in the same run, alternating
 * rounds.
 *
 * <pre>
 * java -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.connect.SupportPollBench \
 *     [--steps 5000] [--page-size 1000] [--rounds 5] [--latency-ms 0]
 * </pre>
 *
 * Both sides are single-threaded and talk to the same sandbox (request limits off, no faults, optional added
 * latency). Not measured: Kafka (the worker's producer), the same for any connector.
 */
public final class SupportPollBench {

    /** Export path, items member, whether cursor-based; in the connector's order. */
    private static final List<String[]> EXPORTS = List.of(
            new String[] {"ticket", "/api/v2/incremental/tickets/cursor.json", "tickets", "cursor"},
            new String[] {"user", "/api/v2/incremental/users/cursor.json", "users", "cursor"},
            new String[] {"organization", "/api/v2/incremental/organizations.json", "organizations", "time"},
            new String[] {"ticket_comment", "/api/v2/incremental/ticket_events.json", "ticket_events", "time"});
    private static final ObjectMapper JSON = new ObjectMapper();

    private SupportPollBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.Options opts = options(args, Map.of("steps", "5000", "page-size", "1000", "rounds", "5",
                "latency-ms", "0"));
        int steps = opts.integer("steps");
        int pageSize = opts.integer("page-size");
        int rounds = opts.integer("rounds");
        long latencyMs = opts.longValue("latency-ms");

        // History an hour old: the exports leave out the last minute (and the sandbox the configured exclusion).
        MutableClock clock = MutableClock.system();
        clock.advance(Duration.ofHours(-1));
        try (SupportSandbox sandbox = SupportSandbox.builder().port(0).seed(42).rateLimitPerMinute(0).clock(clock)
                .requestLogCapacity(16).build().start()) {
            sandbox.exportRateLimiter().configure(0, Duration.ofMinutes(1));
            long generated = System.nanoTime();
            sandbox.generator().runSteps(steps);
            clock.advance(Duration.ofHours(1));
            sandbox.faults().latency(latencyMs, 0);
            System.out.printf(Locale.ROOT, "sandbox: %d steps in %.1f s; page size %d; added latency %d ms%n", steps,
                    (System.nanoTime() - generated) / 1e9, pageSize, latencyMs);

            HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long expected = baseline(jdk, sandbox, pageSize).records();
            System.out.printf(Locale.ROOT, "records in the four exports: %d%n", expected);
            PollBench.compare(rounds, "plain JDK loop", 0.90, false, () -> baseline(jdk, sandbox, pageSize),
                    () -> connector(sandbox, pageSize, expected));
        }
    }

    /**
     * Pages each export to its end: cursor-based by {@code after_url} until {@code end_of_stream}, time-based by
     * {@code next_page} until {@code end_of_stream}, counting each version once (the time-based exports repeat a
     * page's last second on the next page) and, of the ticket events, those that added a comment.
     */
    static PollBench.Run baseline(HttpClient http, SupportSandbox sandbox, int pageSize)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        long requests = 0;
        Set<String> seen = new HashSet<>();
        String auth = "Basic " + Base64.getEncoder().encodeToString((sandbox.agentEmail() + "/token:"
                + SupportSandbox.DEFAULT_API_TOKEN).getBytes(StandardCharsets.UTF_8));
        for (String[] export : EXPORTS) {
            boolean cursor = "cursor".equals(export[3]);
            String url = sandbox.url() + export[1] + "?start_time=0" + (cursor ? "&per_page=" + pageSize : "")
                    + ("ticket_events".equals(export[2]) ? "&include=comment_events" : "");
            while (url != null) {
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                requests++;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(url + " answered " + response.statusCode());
                }
                JsonNode page = JSON.readTree(response.body());
                for (JsonNode item : page.path(export[2])) {
                    String key = key(export[0], item);
                    if (key != null) {
                        seen.add(key);
                    }
                }
                if (page.path("end_of_stream").asBoolean(true)) {
                    break;
                }
                url = page.path(cursor ? "after_url" : "next_page").asText(null);
            }
        }
        return new PollBench.Run(seen.size(), requests, System.nanoTime() - start);
    }

    private static String key(String type, JsonNode item) {
        if (!"ticket_comment".equals(type)) {
            return type + ":" + item.path("id").asText() + "@" + item.path("updated_at").asText();
        }
        for (JsonNode child : item.path("child_events")) {
            if ("Comment".equals(child.path("event_type").asText())) {
                return type + ":" + child.path("id").asText();
            }
        }
        return null;
    }

    /** A fresh task (no offsets: a backfill) over the four exports until it has polled {@code expected} records. */
    static PollBench.Run connector(SupportSandbox sandbox, int pageSize, long expected)
            throws InterruptedException {
        Map<String, String> props = new HashMap<>();
        String objects = "ticket,user,organization,ticket_comment";
        props.put("name", "bench");
        props.put("zendesk.url", sandbox.url());
        props.put("auth.basic.username", sandbox.agentEmail() + "/token");
        props.put("auth.basic.password", SupportSandbox.DEFAULT_API_TOKEN);
        props.put("zendesk.objects", objects);
        props.put("task.objects", objects);
        props.put("page.size", Integer.toString(pageSize));
        props.put("rate.limit.window.requests", "0");
        props.put("outbound.allow.list", "127.0.0.1");
        props.put("outbound.allow.plain.http", "127.0.0.1");
        return PollBench.drain(new SupportSourceTask(), props, expected, r -> true);
    }
}

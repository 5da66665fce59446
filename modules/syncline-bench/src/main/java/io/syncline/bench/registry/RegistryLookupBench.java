package io.syncline.bench.registry;

import static io.syncline.bench.BenchSupport.median;
import static io.syncline.bench.BenchSupport.options;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.javalin.Javalin;
import io.syncline.bench.BenchSupport;
import io.syncline.bench.LoadGenerator;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.registry.server.SchemaRegistryServer;

/**
 * Load driver for the registry's hot path, {@code GET /schemas/ids/{id}} (issue 18: p99 under 5 ms at 2,000
 * requests/s): open loop at a constant rate, each latency from the request's scheduled send time, against the
 * registry and, in the same run and process, a bare Javalin handler answering the same bytes (the ratio says what the
 * registry adds over the HTTP stack it stands on).
 *
 * <pre>
 * java -Xmx1g -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.registry.RegistryLookupBench \
 *     [--rate 2000] [--rounds 3] [--seconds 20] [--warmup 5] [--jit-warmup 15] [--connections 16] \
 *     [--url http://localhost:8081]
 * </pre>
 *
 * Without {@code --url} it starts what {@code syncline up} starts for the registry (an embedded KRaft broker and the
 * registry on it) and registers one canonical-sized record schema; with {@code --url} (e.g. the registry of a running
 * {@code syncline up}) it registers the schema there and drives that registry instead. Each round runs registry and
 * bare handler one after the other, alternating which goes first, after {@code --jit-warmup} seconds of the same load
 * split between both (not measured: the first seconds of a JVM are compilation).
 */
public final class RegistryLookupBench {

    /** A schema of the size of the canonical payment schema: 14 fields, docs, a logical type, a nested record. */
    static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"bench.registry\","
            + "\"doc\":\"A payment.\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"string\",\"doc\":\"Canonical id.\"},"
            + "{\"name\":\"amount_minor\",\"type\":\"long\",\"doc\":\"Amount in minor units.\"},"
            + "{\"name\":\"currency\",\"type\":\"string\",\"doc\":\"ISO-4217 code.\"},"
            + "{\"name\":\"status\",\"type\":{\"type\":\"enum\",\"name\":\"Status\",\"symbols\":[\"PENDING\","
            + "\"SUCCEEDED\",\"FAILED\"]}},"
            + "{\"name\":\"customer_id\",\"type\":[\"null\",\"string\"],\"default\":null},"
            + "{\"name\":\"description\",\"type\":[\"null\",\"string\"],\"default\":null},"
            + "{\"name\":\"created_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
            + "{\"name\":\"updated_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
            + "{\"name\":\"method\",\"type\":[\"null\",\"string\"],\"default\":null},"
            + "{\"name\":\"refunded_minor\",\"type\":\"long\",\"default\":0},"
            + "{\"name\":\"captured\",\"type\":\"boolean\",\"default\":false},"
            + "{\"name\":\"source_system\",\"type\":\"string\"},"
            + "{\"name\":\"source_id\",\"type\":\"string\"},"
            + "{\"name\":\"meta\",\"type\":{\"type\":\"record\",\"name\":\"Meta\",\"fields\":["
            + "{\"name\":\"event_id\",\"type\":\"string\"},{\"name\":\"trace_id\",\"type\":[\"null\",\"string\"],"
            + "\"default\":null}]}}]}";

    private RegistryLookupBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.Options opts = options(args, Map.of("rate", "2000", "rounds", "3", "seconds", "20",
                "warmup", "5", "connections", "16", "url", "", "jit-warmup", "15"));
        double rate = opts.decimal("rate");
        int rounds = opts.integer("rounds");
        double seconds = opts.decimal("seconds");
        double warmup = opts.decimal("warmup");
        String givenUrl = opts.text("url");

        Path dataDir = Files.createTempDirectory("registry-bench");
        EmbeddedKafkaBroker broker = null;
        SchemaRegistryServer registry = null;
        Javalin bare = null;
        try {
            String url = givenUrl;
            if (url.isBlank()) {
                broker = EmbeddedKafkaBroker.builder(dataDir).build().start();
                registry = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build().start();
                url = registry.url();
            }
            int id = register(url);
            byte[] answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/schemas/ids/"
                    + id)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
            bare = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.routes.get("/schemas/ids/{id}", ctx -> ctx.contentType("application/vnd.schemaregistry.v1+json")
                        .result(answer));
            }).start("localhost", 0);
            String bareUrl = "http://localhost:" + bare.port();

            System.out.printf(Locale.ROOT, "GET /schemas/ids/%d (%d-byte answer) at %.0f req/s, %d connections; "
                    + "load %s%n", id, answer.length, rate, opts.integer("connections"), BenchSupport.loadAverage());
            List<double[]> rows = new ArrayList<>();
            try (LoadGenerator load = new LoadGenerator(opts.integer("connections"))) {
                LoadGenerator.Request toRegistry = new LoadGenerator.Request(URI.create(url + "/schemas/ids/" + id),
                        Map.of("Accept", "application/vnd.schemaregistry.v1+json"), null);
                LoadGenerator.Request toBare = new LoadGenerator.Request(URI.create(bareUrl + "/schemas/ids/" + id),
                        Map.of("Accept", "application/vnd.schemaregistry.v1+json"), null);
                // JIT: the first seconds of each server (and of the load generator) are compilation, not service.
                double jit = opts.decimal("jit-warmup") / 2;
                load.openLoop("jit", toRegistry, rate, 0, jit);
                load.openLoop("jit", toBare, rate, 0, jit);
                for (int round = 1; round <= rounds; round++) {
                    LoadGenerator.Result r;
                    LoadGenerator.Result b;
                    if (round % 2 == 1) {
                        r = load.openLoop("registry", toRegistry, rate, warmup, seconds);
                        b = load.openLoop("bare", toBare, rate, warmup, seconds);
                    } else {
                        b = load.openLoop("bare", toBare, rate, warmup, seconds);
                        r = load.openLoop("registry", toRegistry, rate, warmup, seconds);
                    }
                    System.out.println("round " + round + "  " + r);
                    System.out.println("round " + round + "  " + b);
                    rows.add(new double[] {r.percentileMillis(0.50), r.percentileMillis(0.99), b.percentileMillis(0.99),
                            r.errors()});
                }
            }
            double[] p99 = rows.stream().mapToDouble(row -> row[1]).toArray();
            double[] bareP99 = rows.stream().mapToDouble(row -> row[2]).toArray();
            System.out.printf(Locale.ROOT, "median p99: registry %.2f ms, bare %.2f ms (goal: registry p99 < 5 ms at"
                    + " 2,000 req/s); load %s%n", median(p99), median(bareP99), BenchSupport.loadAverage());
        } finally {
            if (bare != null) {
                bare.stop();
            }
            if (registry != null) {
                registry.close();
            }
            if (broker != null) {
                broker.close();
            }
        }
    }

    /** Registers the benchmark schema (or finds it registered) and returns its id. */
    static int register(String url) throws Exception {
        String body = "{\"schema\":" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(SCHEMA)
                + "}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(url + "/subjects/bench.registry.payment-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("registering the benchmark schema at " + url + " failed: HTTP "
                    + r.statusCode() + " " + r.body());
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("id").asInt();
    }
}

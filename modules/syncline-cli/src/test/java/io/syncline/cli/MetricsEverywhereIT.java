package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.Reader;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.cli.dist.SynclineProcess;
import io.syncline.cli.up.RunningFile;
import io.syncline.cli.up.StackContext;
import io.syncline.kafka.FreePorts;
import io.syncline.metrics.MetricType;
import io.syncline.metrics.Role;
import io.syncline.metrics.SynclineMetric;
import io.syncline.metrics.SynclineMetrics;
import io.syncline.sandbox.crm.CrmSandbox;
import io.syncline.sandbox.payments.StripeSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every role's {@code /metrics} scraped while {@code syncline up --demo} (the distribution, in its own process) moves
 * real traffic: every metric docs/metrics.md lists is there, the ones this traffic must move moved, and a webhook's
 * W3C {@code traceparent} comes out on the CRM sink's request to the CRM sandbox.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEverywhereIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE_ID = "5c1e0b7a9d2f4e8c8a6b3d1f0e2c4a68";

    /** What one signed customer, one signed charge, one authentic unmappable charge and one forgery must move. */
    private static final List<SynclineMetric> MOVED = List.of(
            SynclineMetrics.GATEWAY_REQUESTS, SynclineMetrics.GATEWAY_VERIFICATION_FAILURES,
            SynclineMetrics.GATEWAY_RECORDS_OUT, SynclineMetrics.GATEWAY_PRODUCE_LATENCY,
            SynclineMetrics.GATEWAY_REQUEST_BYTES,
            SynclineMetrics.NORMALIZER_RECORDS_IN, SynclineMetrics.NORMALIZER_RECORDS_OUT,
            SynclineMetrics.NORMALIZER_DEAD_LETTERED, SynclineMetrics.NORMALIZER_PROCESSING_LATENCY,
            SynclineMetrics.REGISTRY_REQUESTS, SynclineMetrics.REGISTRY_REQUEST_LATENCY, SynclineMetrics.REGISTRY_SCHEMAS,
            SynclineMetrics.CONNECT_SOURCE_RECORDS_POLLED, SynclineMetrics.CONNECT_SOURCE_RECORDS_OUT,
            SynclineMetrics.CONNECT_SINK_RECORDS_IN, SynclineMetrics.CONNECT_SINK_RECORDS_OUT,
            SynclineMetrics.CONNECT_SINK_REQUESTS, SynclineMetrics.CONNECT_SINK_DELIVERY_LATENCY,
            SynclineMetrics.CONNECT_TASK_RUNNING, SynclineMetrics.CONNECT_WORKER_CONNECTORS,
            SynclineMetrics.CONNECT_WORKER_TASKS, SynclineMetrics.CONNECT_WORKER_REBALANCES,
            // The demo's CRM source and sink have called their accounts: the shared window is known.
            SynclineMetrics.CONNECT_ACCOUNT_BUDGET_LIMIT);

    private final HttpClient http = HttpClient.newHttpClient();
    private SynclineProcess up;
    private Path dataDir;
    private int gatewayPort;
    private int crmPort;
    private int paymentsPort;

    @BeforeAll
    void startDemo(@TempDir Path work) throws Exception {
        dataDir = work.resolve("data");
        gatewayPort = FreePorts.pick();
        crmPort = FreePorts.pick();
        paymentsPort = FreePorts.pick();
        Path config = Files.writeString(work.resolve("syncline.yaml"), "normalizer:\n  metrics-port: 0\n");
        up = SynclineProcess.start(dist(), work, List.of("up", "--demo", "--demo-rate", "2",
                "--data-dir", dataDir.toString(), "--config", config.toString(),
                "--kafka-port", "0", "--kafka-controller-port", "0", "--registry-port", "0", "--connect-port", "0",
                "--gateway-port", String.valueOf(gatewayPort), "--console-port", "0",
                "--payments-sandbox-port", String.valueOf(paymentsPort), "--crm-sandbox-port", String.valueOf(crmPort),
                "--support-sandbox-port", "0", "--postgres-port", String.valueOf(FreePorts.pick())), Map.of());
        up.awaitLine(UpCommand.READY_LINE, Duration.ofSeconds(240));
    }

    @AfterAll
    void stopDemo() {
        if (up != null) {
            up.close();
        }
    }

    @Test
    void everyRoleServesEveryDocumentedMetricAndTheTrafficMovesThemAndTheTraceReachesTheTarget() throws Exception {
        // The generated activity has moved the polling source and the sinks by now; stop it so that the CRM sink
        // batches our webhooks' changes with nobody else's (a batch request carries its first change's trace).
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(crmRequestTraceparents()).isNotEmpty());
        http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + paymentsPort + "/_sandbox/generator/stop"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        String secret = Files.readString(dataDir.resolve("demo/stripe-webhook.secret")).strip();
        long now = Instant.now().getEpochSecond();
        String email = "ada.metrics@example.com";
        String traceparent = "00-" + TRACE_ID + "-b7ad6b7169203331-01";
        webhook(secret, traceparent, event("evt_metrics_customer", "customer.created", now, """
                {"id":"cus_metrics1","object":"customer","email":"%s","name":"Ada Lovelace","created":%d,
                 "livemode":false,"metadata":{}}""".formatted(email, now)), 200);
        webhook(secret, traceparent, event("evt_metrics_charge", "charge.succeeded", now + 1, """
                {"id":"ch_metrics1","object":"charge","amount":4200,"currency":"eur","status":"succeeded",
                 "paid":true,"captured":true,"refunded":false,"customer":"cus_metrics1","created":%d,
                 "livemode":false,"billing_details":{"email":"%s","name":"Ada Lovelace"},"metadata":{}}"""
                .formatted(now + 1, email)), 200);
        // Authentic but a charge the mapping cannot map (no ISO-4217 currency): written, then dead-lettered.
        webhook(secret, null, event("evt_metrics_bad", "charge.succeeded", now, """
                {"id":"ch_metrics_bad","object":"charge","amount":100,"currency":"euro","created":%d}"""
                .formatted(now)), 200);
        webhook("whsec_not_the_secret", null, event("evt_forged", "customer.created", now, "{}"), 401);

        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(crmRequestTraceparents()).as(() -> "traceparents the CRM sandbox received; its last writes: "
                                + crmWrites())
                        .anyMatch(t -> t.matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01")
                                && !t.equals(traceparent)));

        Map<String, String> running = running();
        Map<Role, String> endpoints = new EnumMap<>(Role.class);
        endpoints.put(Role.GATEWAY, running.get(StackContext.GATEWAY) + "/metrics");
        endpoints.put(Role.REGISTRY, running.get(StackContext.REGISTRY) + "/metrics");
        endpoints.put(Role.NORMALIZER, running.get(StackContext.NORMALIZER_METRICS));
        endpoints.put(Role.CONNECT, running.get(StackContext.CONNECT_METRICS));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            List<String> problems = new ArrayList<>();
            for (Role role : Role.values()) {
                String scrape = get(endpoints.get(role));
                for (SynclineMetric m : SynclineMetrics.of(role)) {
                    double value = largestSample(scrape, m);
                    if (Double.isNaN(value)) {
                        problems.add(m.name() + " is missing from " + endpoints.get(role));
                    } else if (MOVED.contains(m) && value <= 0) {
                        problems.add(m.name() + " did not move (" + value + ")");
                    }
                }
            }
            assertThat(problems).isEmpty();
        });
    }

    /** The largest sample of a metric (a histogram's or summary's {@code _count}), or NaN when it has none. */
    private static double largestSample(String scrape, SynclineMetric m) {
        String sample = m.type() == MetricType.HISTOGRAM || m.type() == MetricType.SUMMARY ? m.name() + "_count"
                : m.name();
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(sample) + "(\\{[^}]*})? (\\S+)").matcher(scrape);
        double max = Double.NaN;
        while (matcher.find()) {
            double v = Double.parseDouble(matcher.group(2));
            max = Double.isNaN(max) ? v : Math.max(max, v);
        }
        return max;
    }

    private List<String> crmRequestTraceparents() throws Exception {
        JsonNode log = JSON.readTree(get("http://localhost:" + crmPort + "/_sandbox/requests?limit=1000",
                "Bearer " + CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN));
        List<String> out = new ArrayList<>();
        log.path("requests").forEach(r -> {
            if (r.hasNonNull("traceparent")) {
                out.add(r.get("traceparent").asText());
            }
        });
        return out;
    }

    private String crmWrites() {
        try {
            List<String> out = new ArrayList<>();
            JSON.readTree(get("http://localhost:" + crmPort + "/_sandbox/requests?limit=200")).path("requests")
                    .forEach(r -> {
                        if (!r.path("method").asText().equals("GET")) {
                            out.add(r.path("path").asText() + " " + r.path("idempotencyKey").asText() + " "
                                    + r.path("status").asText() + " " + r.path("traceparent").asText());
                        }
                    });
            return String.join("\n", out.subList(Math.max(0, out.size() - 15), out.size()));
        } catch (Exception e) {
            return e.toString();
        }
    }

    private Map<String, String> running() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dataDir.resolve(RunningFile.NAME))) {
            p.load(r);
        }
        Map<String, String> out = new java.util.HashMap<>();
        p.forEach((k, v) -> out.put(k.toString(), v.toString()));
        assertThat(out).containsKeys(StackContext.GATEWAY, StackContext.REGISTRY, StackContext.NORMALIZER_METRICS,
                StackContext.CONNECT_METRICS);
        return out;
    }

    private String get(String url) throws Exception {
        return get(url, null);
    }

    private String get(String url, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    private static String event(String id, String type, long created, String object) {
        return """
                {"id":"%s","object":"event","type":"%s","created":%d,"livemode":false,"api_version":"2024-06-20",
                 "data":{"object":%s}}""".formatted(id, type, created, object);
    }

    private void webhook(String secret, String traceparent, String body, int expected) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + gatewayPort + "/webhooks/stripe"))
                .header("Content-Type", "application/json")
                .header(StripeSignature.HEADER, StripeSignature.header(secret, bytes, Instant.now().getEpochSecond()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (traceparent != null) {
            b.header("traceparent", traceparent);
        }
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
    }

    private static Path dist() {
        String dir = System.getProperty("syncline.dist");
        assertThat(dir).as("system property syncline.dist, set by the failsafe configuration").isNotBlank();
        return Path.of(dir);
    }
}

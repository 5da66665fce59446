package io.syncline.connect.payments.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.kafka.EmbeddedConnectWorker;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.payments.PaymentsSandbox;
import io.syncline.testsupport.connect.DeliveryReport;
import io.syncline.testsupport.connect.RawRecord;
import io.syncline.testsupport.connect.RawTopics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The payments connector from its plugin archive in a real Connect worker (exactly-once source support on), under
 * every fault the sandbox injects, with the worker restarted once in the middle of the backfill and once while
 * events flow. Afterwards every object the sandbox created is in its raw topic (checked by id) and every event since
 * the backfill's t0 is there once; the delivery report with its duplicate count is printed.
 */
class PaymentsConnectorIT {

    private static final Duration WAIT = Duration.ofSeconds(240);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "stripe-under-faults";

    @TempDir
    Path dir;

    private EmbeddedKafkaBroker broker;
    private EmbeddedConnectWorker worker;
    private PaymentsSandbox sandbox;

    @AfterEach
    void stopAll() {
        try {
            if (sandbox != null) {
                sandbox.close();
            }
            if (worker != null) {
                worker.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Test
    void deliversEveryObjectUnderFaultsAcrossRestartsMidBackfillAndMidEvents() {
        // History an hour old, so the backfill (objects created up to the server clock minus ten seconds) has work.
        MutableClock clock = MutableClock.system();
        clock.advance(Duration.ofHours(-1));
        sandbox = PaymentsSandbox.builder().port(0).seed(21).apiKey("sk_test_faults").rateLimitPerSecond(0)
                .clock(clock).build().start();
        sandbox.generator().runSteps(400);
        clock.advance(Duration.ofHours(1));
        sandbox.faults().rateLimitRatio(0.1).serverErrorRatio(0.1).connectionResetRatio(0.03).malformedRatio(0.05)
                .latency(5, 20).timeoutRatio(0.01).timeoutMs(2_000);

        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).build().start();
        worker = EmbeddedConnectWorker.builder(broker.bootstrapServers()).port(0)
                .pluginDirectory(PaymentsPlugin.pluginPath()).build().start();
        ConnectRestClient rest = new ConnectRestClient(worker.url());

        // Written with the keys of before the shared outbound vocabulary: an old config must keep running.
        Map<String, String> config = new java.util.LinkedHashMap<>(PaymentsPlugin.configWithDeprecatedKeys(sandbox,
                "faults", sandbox.apiKey()));
        config.put("connector.class", PaymentsPlugin.CONNECTOR_CLASS);
        config.put("tasks.max", "5");
        config.put("page.size", "5");
        // A slow backfill (about 20 pages per object type) leaves time to restart in its middle.
        config.put("request.budget.per.second", "25");
        config.put("http.request.timeout.ms", "1000");
        rest.putConnectorConfig(NAME, config);
        awaitRunning(rest);

        // 1. Restart while the backfill is under way: some object type has stored "backfill, after <id>".
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> phases(rest).values().stream().anyMatch(p -> p.startsWith("backfill after ")));
        Map<String, String> atRestart = phases(rest);
        System.out.println("[connector IT] restarting mid-backfill at " + atRestart);
        worker.close();
        worker.start();
        awaitRunning(rest);

        // 2. Let the backfill finish, then restart while the generator makes events.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                phases(rest).size() == PaymentsPlugin.TYPES.size()
                        && phases(rest).values().stream().allMatch(p -> p.startsWith("incremental")));
        sandbox.generator().rate(20);
        sandbox.generator().start();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
                PaymentsPlugin.deliveredEventIds(records()).size() >= 20);
        System.out.println("[connector IT] restarting mid-events at " + phases(rest));
        worker.close();
        worker.start();
        awaitRunning(rest);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
                PaymentsPlugin.deliveredEventIds(records()).size() >= 60);
        sandbox.generator().stop();

        // 3. Everything the sandbox created is there, by id; every event since t0 exactly once.
        AtomicReference<DeliveryReport> report = new AtomicReference<>();
        AtomicReference<Set<String>> missingEvents = new AtomicReference<>();
        try {
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                List<RawRecord> records = records();
                report.set(DeliveryReport.of(PaymentsPlugin.expectedIds(sandbox, broker.bootstrapServers(), "faults"),
                        records, "syncline.event-id"));
                Set<String> missing = new HashSet<>(PaymentsPlugin.eventIdsSince(sandbox, t0(records)));
                missing.removeAll(PaymentsPlugin.deliveredEventIds(records));
                missingEvents.set(missing);
                assertThat(report.get().missingCount()).as("missing ids").isZero();
                assertThat(missing).as("missing events").isEmpty();
            });
        } finally {
            if (report.get() != null) {
                report.get().print(NAME + " under faults, restarted mid-backfill and mid-events");
                System.out.println("[connector IT] events missing: " + missingEvents.get() + "; faults served: "
                        + faultCounts());
            }
        }
        assertThat(report.get().withoutKey()).isZero();
        assertThat(report.get().withoutEventId()).isZero();
        // Exactly-once source support: records and offsets commit together, so restarts repeat nothing.
        assertThat(report.get().duplicates()).as("duplicate events: " + report.get().summary()).isZero();
        assertThat(faultCounts()).containsKeys("rate_limit", "server_error", "connection_reset", "malformed");
        assertThat(rest.status(NAME).tasks()).allMatch(t -> t.state().equals("RUNNING"));
    }

    /** A task of the connector is FAILED: not something to wait out. */
    private static final class TaskFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TaskFailed(String message) {
            super(message);
        }
    }

    private List<RawRecord> records() {
        return RawTopics.readAll(broker.bootstrapServers(),
                PaymentsPlugin.TYPES.stream().map(t -> PaymentsPlugin.topicPrefix("faults") + t).toList());
    }

    private static long t0(List<RawRecord> records) {
        return records.stream().map(r -> r.header("syncline.event-id")).filter(id -> id.contains("@backfill:"))
                .mapToLong(id -> Long.parseLong(id.substring(id.indexOf("@backfill:") + 10))).min().orElseThrow();
    }

    private Map<String, Long> faultCounts() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        sandbox.requestLog().records().stream().filter(r -> r.fault() != null)
                .forEach(r -> counts.merge(r.fault(), 1L, Long::sum));
        return counts;
    }

    /** Object type -> "backfill after <id>", "backfill (first page)" or "incremental <second>", from REST offsets. */
    private static Map<String, String> phases(ConnectRestClient rest) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (JsonNode o : rest.offsets(NAME).path("offsets")) {
            JsonNode offset = o.path("offset");
            String phase = offset.path("phase").asText();
            String what = phase.equals("backfill")
                    ? offset.path("after").isNull() ? "backfill (first page)" : "backfill after " + offset.path("after").asText()
                    : phase + " " + offset.path("second").asText();
            out.put(o.path("partition").path("object").asText(), what);
        }
        return out;
    }

    private static void awaitRunning(ConnectRestClient rest) {
        // Only "not there yet" is waited out; a failed task fails the test at once, with its trace.
        await().atMost(Duration.ofSeconds(90)).ignoreExceptionsMatching(e -> !(e instanceof TaskFailed))
                .untilAsserted(() -> {
            ConnectRestClient.ConnectorStatus status = rest.status(NAME);
            List<String> failed = new ArrayList<>();
            status.tasks().stream().filter(t -> t.state().equals("FAILED")).forEach(t -> failed.add(t.trace()));
            if (!failed.isEmpty()) {
                throw new TaskFailed("a task failed:\n" + failed.get(0));
            }
            assertThat(status.state()).isEqualTo("RUNNING");
            assertThat(status.tasks()).hasSize(5).allMatch(t -> t.state().equals("RUNNING"));
        });
    }
}

package io.syncline.connect.support.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.syncline.kafka.ConnectRestClient;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.kafka.FreePorts;
import io.syncline.raw.RawHeader;
import io.syncline.sandbox.support.SupportSandbox;
import io.syncline.testsupport.connect.DeliveryReport;
import io.syncline.testsupport.connect.ForkedConnectWorker;
import io.syncline.testsupport.connect.RawTopics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The support source in a Connect worker of its own JVM, killed with SIGKILL in the middle of its first export and
 * started again: the worker that comes back resumes every export from its last committed offset (records and offsets
 * commit in one transaction with the worker's exactly-once support), so every ticket, user, organization and comment
 * arrives, none twice.
 */
class SupportSourceKillWorkerIT {

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;
    private SupportSandbox sandbox;
    private Process worker;

    @AfterEach
    void stop() throws InterruptedException {
        if (worker != null) {
            ForkedConnectWorker.kill(worker);
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aWorkerKilledMidExportResumesEveryExportWithoutLossOrRepeat() throws Exception {
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).port(0).controllerPort(0).build().start();
        sandbox = SupportSourcePlugin.sandbox(21);
        sandbox.generator().runSteps(500);
        Path plugins = SupportSourcePlugin.pluginPath();
        int port = FreePorts.pick();
        String url = "http://127.0.0.1:" + port;
        worker = ForkedConnectWorker.start(broker.bootstrapServers(), port, plugins, "support-kill",
                dir.resolve("worker.log"));
        ConnectRestClient rest = new ConnectRestClient(url);
        awaitWorker(rest);

        String namespace = "kill";
        Map<String, String> config = new LinkedHashMap<>(SupportSourcePlugin.config(sandbox, namespace,
                SupportSandbox.DEFAULT_API_TOKEN));
        config.put("connector.class", SupportSourcePlugin.CONNECTOR_CLASS);
        // Two pages a second, so the first export takes long enough to be killed in the middle of.
        config.put("rate.limit.window.requests", "0");
        config.put("rate.limit.per.second", "2");
        config.put("rate.limit.burst", "1");
        rest.putConnectorConfig("support-kill", config);
        Set<String> topics = SupportSourcePlugin.expectedIds(sandbox, namespace).keySet();
        int expected = SupportSourcePlugin.expectedIds(sandbox, namespace).values().stream().mapToInt(Set::size).sum();
        await().atMost(Duration.ofSeconds(120)).until(() -> RawTopics.readAll(broker.bootstrapServers(), topics)
                .size() >= 100);
        int before = RawTopics.readAll(broker.bootstrapServers(), topics).size();
        assertThat(before).as("records before the kill, of about " + expected).isLessThan(expected);

        ForkedConnectWorker.kill(worker);
        sandbox.generator().runSteps(100);
        worker = ForkedConnectWorker.start(broker.bootstrapServers(), port, plugins, "support-kill",
                dir.resolve("worker.log"));
        awaitWorker(rest);

        AtomicReference<DeliveryReport> report = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                report.set(DeliveryReport.of(SupportSourcePlugin.expectedIds(sandbox, namespace),
                        RawTopics.readAll(broker.bootstrapServers(), topics), RawHeader.EVENT_ID.key()));
                assertThat(report.get().missingCount()).as("missing ids").isZero();
            });
        } finally {
            if (report.get() != null) {
                report.get().print("support source killed mid-export (" + before + " records before the kill)");
            }
        }
        assertThat(report.get().duplicates()).as("records written twice: " + report.get().summary()).isZero();
    }

    private static void awaitWorker(ConnectRestClient rest) {
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> rest.connectors() != null);
    }
}

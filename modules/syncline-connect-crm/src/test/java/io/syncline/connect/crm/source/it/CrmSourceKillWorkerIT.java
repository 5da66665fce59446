package io.syncline.connect.crm.source.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import io.syncline.kafka.ConnectRestClient;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.kafka.FreePorts;
import io.syncline.raw.RawHeader;
import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.crm.CrmSandbox;
import io.syncline.testsupport.connect.DeliveryReport;
import io.syncline.testsupport.connect.ForkedConnectWorker;
import io.syncline.testsupport.connect.RawTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRM source in a Connect worker of its own JVM, killed with SIGKILL in the middle of its contacts backfill and
 * started again: the worker that comes back resumes the backfill from the last committed {@code after} cursor (the
 * worker runs exactly-once source support, so records and offsets commit in one transaction). Every contact
 * arrives, none twice among committed records; what the killed
 * worker had written past its last commit is the aborted transaction, counted and printed, never read by a
 * read_committed consumer such as the normalizer.
 */
class CrmSourceKillWorkerIT {

    private static final int BACKFILL = 300;

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;
    private CrmSandbox sandbox;
    private Process worker;
    private final HttpClient http = HttpClient.newHttpClient();

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
    void aWorkerKilledMidBackfillResumesFromItsLastCommitWithEveryContactOnce() throws Exception {
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).port(0).controllerPort(0).build().start();
        // The contacts are an hour old, so they are the backfill's alone: the search that follows it starts at its
        // t0 (minus a margin of seconds) and does not read them again.
        MutableClock clock = MutableClock.system();
        clock.advance(Duration.ofHours(-1));
        sandbox = CrmSandbox.builder().port(0).seed(11).clock(clock).tenSecondlyLimit(0).searchRequestsPerSecond(0)
                .build().start();
        createContacts("backfill", BACKFILL);
        clock.advance(Duration.ofHours(1));

        Path plugins = CrmSourcePlugin.pluginPath();
        int port = FreePorts.pick();
        ConnectRestClient rest = new ConnectRestClient("http://127.0.0.1:" + port);
        worker = ForkedConnectWorker.start(broker.bootstrapServers(), port, plugins, "crm-kill",
                dir.resolve("worker.log"));
        awaitWorker(rest);

        String namespace = "kill";
        String topic = CrmSourcePlugin.topicPrefix(namespace) + "contact";
        Map<String, String> config = new LinkedHashMap<>(CrmSourcePlugin.config(sandbox, namespace,
                CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN));
        config.put("connector.class", CrmSourcePlugin.CONNECTOR_CLASS);
        config.put("crm.objects", "contact");
        // Ten contacts a page, one page a second: the backfill takes about 30 s, long enough to be killed in.
        config.put("page.size", "10");
        config.put("rate.limit.per.second", "1");
        config.put("rate.limit.burst", "1");
        rest.putConnectorConfig("crm-kill", config);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() ->
                RawTopics.readAll(broker.bootstrapServers(), List.of(topic)).size() >= 50);
        ForkedConnectWorker.kill(worker);
        worker = null;
        int before = RawTopics.readAll(broker.bootstrapServers(), List.of(topic)).size();
        assertThat(before).as("contacts committed before the kill, of " + BACKFILL).isLessThan(BACKFILL);

        worker = ForkedConnectWorker.start(broker.bootstrapServers(), port, plugins, "crm-kill",
                dir.resolve("worker.log"));
        awaitWorker(rest);

        Map<String, Set<String>> expected = Map.of(topic, new TreeSet<>(sandbox.objectIds("contacts")));
        assertThat(expected.get(topic)).hasSize(BACKFILL);
        AtomicReference<DeliveryReport> report = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                report.set(DeliveryReport.of(expected, RawTopics.readAll(broker.bootstrapServers(), List.of(topic)),
                        RawHeader.EVENT_ID.key()));
                assertThat(report.get().missingCount()).as("missing contacts").isZero();
            });
        } finally {
            if (report.get() != null) {
                report.get().print("CRM source killed mid-backfill (" + before + " contacts committed before the "
                        + "kill; " + uncommitted(topic) + " records written past the last commit and aborted)");
            }
        }
        assertThat(report.get().duplicates()).as("committed records written twice: " + report.get().summary())
                .isZero();
        assertThat(report.get().received()).as("one committed record per contact").isEqualTo(BACKFILL);
    }

    /** Creates {@code n} contacts through the batch API, at most 100 a request as HubSpot allows. */
    private void createContacts(String tag, int n) throws Exception {
        for (int from = 0; from < n; from += 100) {
            StringBuilder body = new StringBuilder("{\"inputs\":[");
            for (int i = from; i < Math.min(n, from + 100); i++) {
                body.append(i == from ? "" : ",").append("{\"properties\":{\"email\":\"").append(tag).append('-')
                        .append(i).append("@kill.example\",\"firstname\":\"K").append(i).append("\"}}");
            }
            body.append("]}");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sandbox.url()
                            + "/crm/v3/objects/contacts/batch/create"))
                    .header("Authorization", "Bearer " + CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        }
    }

    /**
     * Records of {@code topic} a read_uncommitted consumer sees beyond the committed ones: what the killed worker
     * wrote in the transaction it never committed (the uncommitted window).
     */
    private long uncommitted(String topic) {
        return count(topic, "read_uncommitted") - count(topic, "read_committed");
    }

    private long count(String topic, String isolation) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long n = 0;
            int empty = 0;
            while (empty < 3) {
                int got = consumer.poll(Duration.ofMillis(500)).count();
                n += got;
                empty = got == 0 ? empty + 1 : 0;
            }
            return n;
        }
    }

    private static void awaitWorker(ConnectRestClient rest) {
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> rest.connectors() != null);
    }
}

package io.syncline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Syncline Connect worker must do on any Kafka cluster: load connector plugins from a plugin directory,
 * resolve {@code ${file:…}} secret references without storing the value, and keep connectors and their source
 * offsets across a restart. Subclasses provide the cluster (embedded broker, or a container under {@code -Pdocker}).
 */
abstract class ConnectWorkerContract {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    private EmbeddedConnectWorker worker;

    /** Starts Kafka (again, on the same data, when called after {@link #stopKafka()}) and returns its bootstrap servers. */
    protected abstract String startKafka();

    /** Stops Kafka, keeping its data; called again after each test, so it must tolerate a stopped cluster. */
    protected abstract void stopKafka();

    /** The directory the build fills with connector plugins (FileStreamSource/Sink), like a real plugin.path. */
    static Path testPluginPath() {
        String dir = System.getProperty("syncline.test.plugin.path");
        assertThat(dir).as("system property syncline.test.plugin.path, set by the failsafe configuration").isNotBlank();
        assertThat(Path.of(dir).resolve("kafka-connect-file")).as("plugin directory made by maven-dependency-plugin")
                .isDirectory();
        return Path.of(dir);
    }

    /** The worker first: a worker whose broker is gone waits out its timeouts while stopping. */
    @AfterEach
    void stopWorkerThenKafka() {
        if (worker != null) {
            worker.close();
        }
        stopKafka();
    }

    @Test
    void keepsConnectorsAndSourceOffsetsAcrossARestart() throws Exception {
        String bootstrap = startKafka();
        worker = EmbeddedConnectWorker.builder(bootstrap).port(0).pluginDirectory(testPluginPath()).build().start();
        ConnectRestClient rest = new ConnectRestClient(worker.url());

        Path input = workDir.resolve("input.txt");
        Files.writeString(input, "one\ntwo\nthree\n");
        // The file name is a "secret": the connector config holds only a reference the worker resolves.
        Path secrets = workDir.resolve("secrets.properties");
        Files.writeString(secrets, "input=" + input.toAbsolutePath() + "\n");
        String reference = "${file:" + secrets.toAbsolutePath() + ":input}";
        rest.putConnectorConfig("lines-in", Map.of(
                "connector.class", "FileStreamSource",
                "tasks.max", "1",
                "file", reference,
                "topic", "lines"));

        awaitRunning(rest, "lines-in");
        awaitPosition(rest, "lines-in", Files.size(input));
        assertThat(readCommitted(bootstrap, "lines")).containsExactly("one", "two", "three");
        assertThat(rest.connectorConfig("lines-in")).containsEntry("file", reference);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            assertThat(admin.listTopics().names().get()).contains(
                    EmbeddedConnectWorker.CONFIG_TOPIC, EmbeddedConnectWorker.OFFSET_TOPIC, EmbeddedConnectWorker.STATUS_TOPIC);
        }

        worker.close();
        stopKafka();
        Files.writeString(input, "four\nfive\n", StandardOpenOption.APPEND);

        bootstrap = startKafka();
        worker.start();
        assertThat(rest.connectors()).containsExactly("lines-in");
        awaitRunning(rest, "lines-in");
        awaitPosition(rest, "lines-in", Files.size(input));
        // Had the offsets been lost, the task would have read the file again from the start: 3 + 5 records.
        assertThat(readCommitted(bootstrap, "lines")).containsExactly("one", "two", "three", "four", "five");
    }

    private static void awaitRunning(ConnectRestClient rest, String connector) {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            ConnectRestClient.ConnectorStatus status = rest.status(connector);
            assertThat(status.state()).isEqualTo("RUNNING");
            assertThat(status.tasks()).extracting(ConnectRestClient.TaskStatus::state).containsExactly("RUNNING");
        });
    }

    /** Waits until the connector's committed source offset is {@code position} bytes into the file. */
    private static void awaitPosition(ConnectRestClient rest, String connector, long position) {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            JsonNode offsets = rest.offsets(connector).path("offsets");
            assertThat(offsets).hasSize(1);
            assertThat(offsets.get(0).path("offset").path("position").asLong()).isEqualTo(position);
        });
    }

    /** Every committed record of a one-partition topic, read from the beginning up to its end offset. */
    static List<String> readCommitted(String bootstrap, String topic) throws IOException {
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                "isolation.level", "read_committed"), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(Set.of(tp));
            consumer.seekToBeginning(Set.of(tp));
            long end = consumer.endOffsets(Set.of(tp)).get(tp);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    // JsonConverter without schemas writes a string value as a JSON string.
                    values.add(JSON.readValue(r.value(), String.class));
                }
            }
        }
        return values;
    }
}

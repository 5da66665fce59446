package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.cli.dist.SynclineProcess;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.kafka.FreePorts;
import io.syncline.registry.client.SchemaRegistryClientConfig;
import io.syncline.registry.serde.KafkaAvroSerializer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code syncline up} as a user runs it: the distribution's {@code bin/syncline} in its own process, on free ports
 * with a temporary data directory; the client commands run in this JVM against it.
 */
class UpCommandIT {

    private static final Duration READY = Duration.ofSeconds(180);
    private static final Duration STOP = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"io.syncline.it\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"n\",\"type\":\"int\"}]}";

    @TempDir
    Path work;

    private final List<SynclineProcess> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(SynclineProcess::close);
    }

    @Test
    void keepsSchemasConnectorsAndOffsetsAcrossAStopAndAStart() throws Exception {
        Ports ports = Ports.free();
        Path input = work.resolve("input.txt");
        Files.writeString(input, "one\ntwo\n");
        Map<String, String> env = Map.of("SYNCLINE_IT_INPUT", input.toString());

        SynclineProcess up = up(ports, env);
        String ready = up.awaitLine(UpCommand.READY_LINE, READY);
        assertThat(ready).contains("Press Ctrl-C to stop");
        assertThat(up.stdout())
                .containsPattern("starting Kafka broker\\.\\.\\. ready in \\d+\\.\\d s")
                .containsPattern("Kafka broker +localhost:" + ports.kafka + " +embedded +up")
                .containsPattern("Schema registry +http://localhost:" + ports.registry + " +embedded +up")
                .containsPattern("Kafka Connect +http://localhost:" + ports.connect + " +embedded +up")
                .contains("data dir  " + work.resolve("data"));

        // up's broker creates no topic on a first write (every topic has an owner that creates it), so this test
        // creates the two it writes, as a user of an up stack would.
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "localhost:" + ports.kafka))) {
            admin.createTopics(List.of(new NewTopic("lines", 1, (short) 1), new NewTopic("pings", 1, (short) 1)))
                    .all().get();
        }
        int schemaId = registerSchema(ports, "pings-value", SCHEMA);
        ConnectRestClient connect = new ConnectRestClient("http://localhost:" + ports.connect);
        // Every plugin directory of the distribution loaded, each from its own plugins/<name>/.
        assertThat(connect.connectorPlugins()).contains(
                "org.apache.kafka.connect.file.FileStreamSourceConnector",
                "io.syncline.connect.payments.PaymentsSourceConnector",
                "io.syncline.connect.http.HttpSinkConnector");
        // FileStreamSource comes from the distribution's plugins/ directory; the file name is an ${env:...} reference
        // that only the worker resolves.
        connect.putConnectorConfig("lines-in", Map.of(
                "connector.class", "FileStreamSource",
                "file", "${env:SYNCLINE_IT_INPUT}",
                "topic", "lines"));
        awaitRunning(connect, "lines-in");
        awaitLines(List.of("one", "two"));
        assertThat(connect.connectorConfig("lines-in")).containsEntry("file", "${env:SYNCLINE_IT_INPUT}");

        produceAvro(ports, "pings", 3);
        CliRun tail = cli("tail", "pings", "--from-beginning", "--max", "3");
        assertThat(tail.exitCode).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : tail.out.strip().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).path("value").path("id").asText()).isEqualTo("ping-0");
        assertThat(lines.get(2).path("value").path("n").asInt()).isEqualTo(2);
        assertThat(lines.get(0).path("valueSchemaId").asInt()).isEqualTo(schemaId);
        assertThat(lines.get(0).path("key").asText()).isEqualTo("k0");
        assertThat(lines.get(0).path("headers").path("origin").asText()).isEqualTo("it");

        CliRun secondUp = runUp(Ports.free(), env);
        assertThat(secondUp.exitCode).isEqualTo(1);
        assertThat(secondUp.err).contains("is used by another syncline up").contains("--data-dir");

        List<String> subjectsBefore = subjects(ports);
        assertThat(subjectsBefore).as("the test's subject and the normalizer's canonical ones")
                .contains("pings-value", "canonical.finance.payment.v1-value", "canonical.crm.contact.v1-value");

        long stopRequested = System.nanoTime();
        up.terminate();
        Optional<Integer> exit = up.waitFor(STOP);
        assertThat(exit).as("syncline up exits within %s of SIGTERM; output:%n%s%s", STOP, up.stdout(), up.stderr())
                .isPresent();
        assertThat(Duration.ofNanos(System.nanoTime() - stopRequested)).isLessThan(STOP);
        assertThat(up.stdout()).as("exit code %s, stderr:%n%s", exit.get(), up.stderr())
                .contains("stopping Kafka Connect...", "stopping Kafka broker...", "Syncline stopped.");
        assertThat(up.stdout().indexOf("stopping Kafka Connect")).isLessThan(up.stdout().indexOf("stopping Kafka broker"));
        assertThat(work.resolve("data").resolve("running.properties")).doesNotExist();

        Files.writeString(input, "three\n", StandardOpenOption.APPEND);
        SynclineProcess again = up(ports, env);
        again.awaitLine(UpCommand.READY_LINE, READY);
        // Every subject of the first run, the test's own and the normalizer's canonical ones, is kept (counted
        // from the registry rather than hard-coded: each new canonical entity adds one).
        assertThat(again.stdout()).containsPattern("Schema registry +http://\\S+ +embedded +up \\("
                + subjectsBefore.size() + " subjects\\)")
                .containsPattern("Kafka Connect +http://\\S+ +embedded +up \\(Connect [^,]+, 1 connector\\)");
        assertThat(subjects(ports)).containsExactlyInAnyOrderElementsOf(subjectsBefore);
        assertThat(registeredId(ports, "pings-value")).isEqualTo(schemaId);
        assertThat(connect.connectors()).containsExactly("lines-in");
        awaitRunning(connect, "lines-in");
        // Resumed from its committed offset: the new line once, the old ones not again.
        awaitLines(List.of("one", "two", "three"));

        CliRun status = cli("status");
        assertThat(status.exitCode).as(status.err).isZero();
        assertThat(status.out)
                .containsPattern("Kafka +localhost:" + ports.kafka + " +up \\(1 broker\\)")
                .containsPattern("lines +1 +\\d+")
                .containsPattern("lines-in +source +RUNNING +0:RUNNING")
                .containsPattern("pings-value +1 +" + schemaId + " +AVRO");
        CliRun schemas = cli("schemas");
        assertThat(schemas.out).containsPattern("pings-value +1 +" + schemaId + " +AVRO");
        CliRun topics = cli("topics");
        assertThat(topics.out).containsPattern("pings +1 +3").doesNotContain("_schemas");
        assertThat(cli("topics", "--all").out).contains("_schemas", "syncline.connect.offsets");

        again.terminate();
        assertThat(again.waitFor(STOP)).isPresent();
    }

    @Test
    void aPortInUseNamesThePortAndTheFlagAndStartsNothing() throws Exception {
        Ports ports = Ports.free();
        try (var busy = new java.net.ServerSocket(ports.connect, 0, java.net.InetAddress.getByName("localhost"))) {
            CliRun run = runUp(ports, Map.of());
            assertThat(run.exitCode).isEqualTo(1);
            assertThat(run.err).contains("error: port " + ports.connect + " on localhost for the Kafka Connect REST API is "
                    + "already in use by another process; stop that process or choose another port with --connect-port");
            assertThat(run.out).doesNotContain("starting Kafka broker");
        }
    }

    private SynclineProcess up(Ports ports, Map<String, String> env) {
        SynclineProcess p = SynclineProcess.start(dist(), work, ports.upArgs(work.resolve("data")), env);
        processes.add(p);
        return p;
    }

    /** Runs an {@code up} that is expected to fail, and returns its exit code and output. */
    private CliRun runUp(Ports ports, Map<String, String> env) {
        SynclineProcess p = up(ports, env);
        Optional<Integer> exit = p.waitFor(Duration.ofSeconds(120));
        assertThat(exit).as("up should have failed; output:%n%s%s", p.stdout(), p.stderr()).isPresent();
        return new CliRun(exit.get(), p.stdout(), p.stderr());
    }

    /** A client command in this JVM, against the running up found through its data directory. */
    private CliRun cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data-dir");
        all.add(work.resolve("data").toString());
        all.add("--config");
        all.add(work.resolve("no-such-syncline.yaml").toString());
        var cli = SynclineCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(all.toArray(String[]::new));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Waits until topic {@code lines} holds exactly {@code expected}, in order, each once. */
    private void awaitLines(List<String> expected) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> recordCount("lines") >= expected.size());
        CliRun tail = cli("tail", "lines", "--from-beginning", "--max", String.valueOf(expected.size()));
        List<String> values = new ArrayList<>();
        for (String line : tail.out.strip().split("\n")) {
            values.add(JSON.readTree(line).path("value").asText());
        }
        assertThat(values).containsExactlyElementsOf(expected);
        assertThat(recordCount("lines")).isEqualTo(expected.size());
    }

    /** Records in a topic, read to its end (commit markers are not records). */
    private long recordCount(String topic) {
        long n = 0;
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(Map.of(
                "bootstrap.servers", runningKafka(), "isolation.level", "read_committed"),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var tp = new org.apache.kafka.common.TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                n += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return n;
    }

    private String runningKafka() {
        return io.syncline.cli.up.RunningFile.read(work.resolve("data")).orElseThrow().get("kafka");
    }

    private static void awaitRunning(ConnectRestClient connect, String connector) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            ConnectRestClient.ConnectorStatus s = connect.status(connector);
            assertThat(s.state()).isEqualTo("RUNNING");
            assertThat(s.tasks()).extracting(ConnectRestClient.TaskStatus::state).containsExactly("RUNNING");
        });
    }

    private static int registerSchema(Ports ports, String subject, String schema) throws Exception {
        String body = JSON.writeValueAsString(Map.of("schema", schema));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + ports.registry + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("id").asInt();
    }

    private static List<String> subjects(Ports ports) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + ports.registry + "/subjects")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> subjects = new ArrayList<>();
        JSON.readTree(response.body()).forEach(s -> subjects.add(s.asText()));
        return subjects;
    }

    private static int registeredId(Ports ports, String subject) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + ports.registry + "/subjects/" + subject + "/versions/latest")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("id").asInt();
    }

    private static void produceAvro(Ports ports, String topic, int count) throws Exception {
        Schema schema = new Schema.Parser().parse(SCHEMA);
        Map<String, Object> serde = Map.of(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL,
                "http://localhost:" + ports.registry);
        KafkaAvroSerializer values = new KafkaAvroSerializer();
        values.configure(serde, false);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", "localhost:" + ports.kafka,
                "acks", "all"), new StringSerializer(), values)) {
            for (int i = 0; i < count; i++) {
                GenericRecord ping = new GenericData.Record(schema);
                ping.put("id", "ping-" + i);
                ping.put("n", i);
                ProducerRecord<String, Object> record = new ProducerRecord<>(topic, "k" + i, ping);
                record.headers().add("origin", "it".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                producer.send(record).get();
            }
        }
    }

    private static Path dist() {
        String dir = System.getProperty("syncline.dist");
        assertThat(dir).as("system property syncline.dist, set by the failsafe configuration").isNotBlank();
        return Path.of(dir);
    }

    private record CliRun(int exitCode, String out, String err) {
    }

    /** Free ports for one stack. */
    private record Ports(int kafka, int controller, int registry, int connect) {
        static Ports free() {
            return new Ports(FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), FreePorts.pick());
        }

        List<String> upArgs(Path dataDir) {
            return List.of("up", "--data-dir", dataDir.toString(),
                    "--config", dataDir.resolveSibling("no-such-syncline.yaml").toString(),
                    "--kafka-port", String.valueOf(kafka), "--kafka-controller-port", String.valueOf(controller),
                    "--registry-port", String.valueOf(registry), "--connect-port", String.valueOf(connect),
                    "--gateway-port", "0", "--console-port", "0");
        }
    }
}

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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.syncline.cli.dist.SynclineProcess;
import io.syncline.cli.up.RunningFile;
import io.syncline.cli.up.StackContext;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.kafka.FreePorts;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code up} with {@code cluster.bootstrap-servers} set: it uses that Kafka and starts only what is missing; and
 * {@code syncline console} runs alone against that cluster, found by flags alone.
 */
class ExternalClusterIT {

    @TempDir
    Path work;

    private EmbeddedKafkaBroker kafka;

    @BeforeEach
    void startExternalKafka() {
        kafka = EmbeddedKafkaBroker.builder(work.resolve("external-kafka")).build().start();
    }

    @AfterEach
    void stopExternalKafka() {
        kafka.close();
    }

    @Test
    void usesTheConfiguredKafkaAndStartsTheRegistryAndConnectOnItAndTheConsoleRunsAloneAgainstIt() throws Exception {
        Path config = work.resolve("syncline.yaml");
        Files.writeString(config, "cluster:\n  bootstrap-servers: " + kafka.bootstrapServers() + "\n");
        int registryPort = FreePorts.pick();
        int connectPort = FreePorts.pick();
        try (SynclineProcess up = SynclineProcess.start(dist(), work, List.of("up", "--config", config.toString(),
                "--data-dir", work.resolve("data").toString(),
                "--registry-port", String.valueOf(registryPort), "--connect-port", String.valueOf(connectPort),
                "--gateway-port", "0", "--console-port", "0"), Map.of())) {
            up.awaitLine(UpCommand.READY_LINE, Duration.ofSeconds(180));
            assertThat(up.stdout())
                    .doesNotContain("starting Kafka broker")
                    .containsPattern("Kafka +" + kafka.bootstrapServers() + " +external +up \\(1 broker\\)")
                    .containsPattern("Schema registry +http://localhost:" + registryPort + " +embedded +up")
                    .containsPattern("Kafka Connect +http://localhost:" + connectPort + " +embedded +up");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains("_schemas", "syncline.connect.configs");
            }
            String upConsole = RunningFile.read(work.resolve("data")).orElseThrow().get(StackContext.CONSOLE);
            assertThat(up.stdout()).containsPattern("Console +" + upConsole + " +embedded +up");
            awaitConsoleShowsTheCluster(upConsole);

            // The console alone, told where everything is by flags and given an empty data dir (no running up).
            try (SynclineProcess console = SynclineProcess.start(dist(), work, List.of("console",
                    "--bootstrap-servers", kafka.bootstrapServers(),
                    "--registry-url", "http://localhost:" + registryPort,
                    "--connect-url", "http://localhost:" + connectPort,
                    "--data-dir", work.resolve("no-stack").toString(), "--config", config.toString(),
                    "--port", "0"), Map.of())) {
                String line = console.awaitLine("Syncline console at ", Duration.ofSeconds(60));
                Matcher url = Pattern.compile("at (http://\\S+) \\(Kafka " + Pattern.quote(kafka.bootstrapServers())
                        + ",").matcher(line);
                assertThat(url.find()).as(line).isTrue();
                awaitConsoleShowsTheCluster(url.group(1));
                console.terminate();
                assertThat(console.waitFor(Duration.ofSeconds(10))).as("the console exits on SIGTERM").isPresent();
            }

            up.terminate();
            Optional<Integer> exit = up.waitFor(Duration.ofSeconds(10));
            assertThat(exit).as("exits within 10 s of SIGTERM:%n%s%s", up.stdout(), up.stderr()).isPresent();
            assertThat(up.stdout()).doesNotContain("stopping Kafka broker");
        }
        // Not ours to stop: the external broker still answers.
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
    }

    @Test
    void anExternalKafkaThatDoesNotAnswerNamesTheKeyAndWhatToDo() throws Exception {
        int nothingThere = FreePorts.pick();
        Path config = work.resolve("syncline.yaml");
        Files.writeString(config, "cluster:\n  bootstrap-servers: localhost:" + nothingThere + "\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = SynclineCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("up", "--config", config.toString(), "--data-dir", work.resolve("data").toString(),
                "--registry-port", "0", "--connect-port", "0", "--gateway-port", "0", "--console-port", "0");
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("starting Kafka... failed");
        assertThat(err.toString()).startsWith("error: starting Kafka: Kafka at localhost:" + nothingThere
                        + " (cluster.bootstrap-servers in syncline.yaml) does not answer")
                .contains("start it, fix cluster.bootstrap-servers, or remove it to run an embedded one");
        assertThat(work.resolve("data").resolve("running.properties")).doesNotExist();
    }

    /**
     * The topics page lists the external cluster's internal topics and says nothing is wrong. Awaited: a console just
     * started on a loaded machine may time out its first Kafka call, and then says so and to reload.
     */
    private static void awaitConsoleShowsTheCluster(String console) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertConsoleShowsTheCluster(console));
    }

    private static void assertConsoleShowsTheCluster(String console) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> topics = http.send(HttpRequest.newBuilder(URI.create(console + "/topics?internal=on"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(topics.statusCode()).as(topics.body()).isEqualTo(200);
        assertThat(topics.body()).contains("syncline.connect.configs")
                .doesNotContain("Something is wrong with the cluster");
        HttpResponse<String> connectors = http.send(HttpRequest.newBuilder(URI.create(console + "/connectors"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(connectors.statusCode()).as(connectors.body()).isEqualTo(200);
        assertThat(connectors.body()).doesNotContain("Something is wrong with the cluster");
    }

    private static Path dist() {
        return Path.of(System.getProperty("syncline.dist"));
    }
}

package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.syncline.cli.dist.SynclineProcess;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.kafka.FreePorts;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code up} with {@code cluster.bootstrap-servers} set: it uses that Kafka and starts only what is missing. */
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
    void usesTheConfiguredKafkaAndStartsTheRegistryAndConnectOnIt() throws Exception {
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

    private static Path dist() {
        return Path.of(System.getProperty("syncline.dist"));
    }
}

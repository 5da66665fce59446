package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.syncline.config.NormalizerConfig;
import io.syncline.kafka.EmbeddedConnectWorker;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.normalizer.InputPartitions;
import io.syncline.registry.server.SchemaRegistryServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code syncline plan}/{@code apply} on a cluster whose raw topics have another partition count than syncline.yaml's
 * {@code normalizer.partitions}: new raw topics take the existing count (a raw topic with more partitions than the
 * normalizer's changelogs stops every normalizer instance), and such a topic already there is a problem naming it,
 * the counts and the fix. Its own cluster: the raw topics it creates would change what PlanApplyIT plans.
 */
class RawPartitionsPlanIT {

    private static final Path MAPPINGS = Path.of("../../mappings").toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void newRawTopicsTakeTheExistingCountAndARawTopicWithMoreThanTheChangelogsIsAProblem() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder(work.resolve("kafka")).build().start();
             SchemaRegistryServer registry = SchemaRegistryServer.builder(kafka.bootstrapServers()).port(0).build()
                     .start();
             EmbeddedConnectWorker connect = EmbeddedConnectWorker.builder(kafka.bootstrapServers()).port(0)
                     .pluginDirectory(PlanApplyIT.dist().resolve("plugins")).build().start();
             Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("raw.hubspot.contact", 4, (short) 1))).all().get();
            Path config = work.resolve("syncline.yaml");
            Files.writeString(config, "normalizer:\n  partitions: 12\n");
            String[] flags = {"--config", config.toString(), "--mappings", MAPPINGS.toString(), "--data-dir",
                work.resolve("no-up").toString(), "--bootstrap-servers", kafka.bootstrapServers(), "--registry-url",
                registry.url(), "--connect-url", connect.url()};

            Run plan = cli("plan", flags);
            assertThat(plan.code).as(plan.toString()).isZero();
            assertThat(plan.out).containsPattern("\\+ raw\\.stripe\\.charge +create: 4 partitions")
                    .containsPattern("\\+ canonical\\.finance\\.payment\\.v1 +create: 12 partitions");
            assertThat(plan.out + plan.err).contains("raw topic raw.stripe.charge is created with 4 partitions, as the "
                    + "existing raw topics have, not the 12 syncline.yaml asks for (raw topic the mappings read)");
            Run apply = cli("apply", flags);
            assertThat(apply.code).as(apply.toString()).isZero();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(admin
                    .describeTopics(List.of("raw.stripe.charge")).allTopicNames().get().get("raw.stripe.charge")
                    .partitions()).hasSize(4));
            // Created topics reach the broker's metadata a moment after the controller made them.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cli("plan", flags).out)
                    .contains("No changes: the cluster holds what syncline.yaml declares."));

            // The normalizer's changelog as its first start made it (4: the raw topics' count), then a raw topic of
            // 6, as the gateway's default once created raw.stripe.event beside topics of 4 (ScaleOutIT).
            String changelog = InputPartitions.changelog(NormalizerConfig.DEFAULT_APPLICATION_ID);
            admin.createTopics(List.of(new NewTopic(changelog, 4, (short) 1),
                    new NewTopic("raw.acme.widget", 6, (short) 1))).all().get();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> admin.describeTopics(
                    List.of(changelog, "raw.acme.widget")).allTopicNames().get().size() == 2);
            Run refused = cli("plan", flags);
            assertThat(refused.code).as("a problem: " + refused).isEqualTo(1);
            assertThat(refused.err).contains("raw topic raw.acme.widget has 6 partitions, more than the 4 of the "
                    + "normalizer's state changelog " + changelog, "Fix: delete raw.acme.widget and create it again "
                    + "with 4 partitions", "kafka-streams-application-reset.sh --application-id "
                    + NormalizerConfig.DEFAULT_APPLICATION_ID);
        }
    }

    private static Run cli(String command, String... flags) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = SynclineCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] args = new String[flags.length + 1];
        args[0] = command;
        System.arraycopy(flags, 0, args, 1, flags.length);
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}

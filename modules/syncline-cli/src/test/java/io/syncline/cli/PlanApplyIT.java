package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.syncline.cli.up.ConnectorProblems;
import io.syncline.cli.up.ConnectorsComponent;
import io.syncline.cli.up.DemoSandboxesComponent;
import io.syncline.cli.up.DemoSecrets;
import io.syncline.cli.up.RunningFile;
import io.syncline.cli.up.StackContext;
import io.syncline.config.ConnectorConfig;
import io.syncline.config.EmbeddedConfig;
import io.syncline.config.SynclineConfigLoader;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.kafka.EmbeddedConnectWorker;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.kafka.FreePorts;
import io.syncline.registry.client.SchemaRegistryClient;
import io.syncline.registry.server.SchemaRegistryServer;
import io.syncline.sandbox.shop.ShopDatabase;
import io.syncline.ops.Registry;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code syncline plan} and {@code apply} against a running cluster that is not {@code syncline up}: an embedded
 * broker, Syncline's registry over HTTP and a Connect worker loading the distribution's plugins, found only through
 * the connection flags. Also {@code up}'s connectors step, which applies through the same code, with a connector the
 * worker refuses. One cluster for the class; each test removes the connectors it made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlanApplyIT {

    private static final String FILE_SOURCE = "org.apache.kafka.connect.file.FileStreamSourceConnector";
    private static final Path MAPPINGS = Path.of("../../mappings").toAbsolutePath().normalize();

    private Path work;

    private EmbeddedKafkaBroker kafka;
    private SchemaRegistryServer registry;
    private EmbeddedConnectWorker connect;
    private ConnectRestClient rest;
    private Path secrets;

    @BeforeAll
    void startCluster(@TempDir Path dir) throws Exception {
        work = dir;
        kafka = EmbeddedKafkaBroker.builder(work.resolve("kafka")).build().start();
        registry = SchemaRegistryServer.builder(kafka.bootstrapServers()).port(0).build().start();
        connect = EmbeddedConnectWorker.builder(kafka.bootstrapServers()).port(0)
                .pluginDirectory(dist().resolve("plugins")).build().start();
        rest = new ConnectRestClient(connect.url());
        secrets = work.resolve("secrets.properties");
        Files.writeString(secrets, "source.file=" + work.resolve("lines.txt") + "\nkey.one=first-secret-value\n"
                + "key.two=second-secret-value\n");
        Files.writeString(work.resolve("lines.txt"), "");
    }

    @AfterEach
    void removeConnectors() {
        for (String name : rest.connectors()) {
            rest.deleteConnector(name);
        }
    }

    @AfterAll
    void stopCluster() {
        if (connect != null) {
            connect.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1) // it plans against a cluster nothing was applied to yet; other tests apply the shipped mappings' topics
    void planShowsWhatToCreateApplyCreatesItAndASecondPlanFindsNothingToDo() throws Exception {
        Path config = yaml("first.yaml", """
                topics:
                  - name: ops.audit
                    partitions: 3
                    config:
                      retention.ms: "3600000"
                sources:
                  - name: file-lines
                    connector: %s
                    config:
                      file: ${file:%s:source.file}
                      topic: raw.file.lines
                """.formatted(FILE_SOURCE, secrets));

        Run plan = cli("plan", "--detailed-exitcode", "--config", config.toString());
        assertThat(plan.code).as(plan.toString()).isEqualTo(PlanCommand.CHANGES);
        assertThat(plan.out)
                .contains("Plan for Kafka " + kafka.bootstrapServers())
                .containsPattern("\\+ ops\\.audit +create: 3 partitions, replication the broker's default, "
                        + "retention\\.ms=3600000 \\(topics\\[0\\]\\)")
                .containsPattern("\\+ raw\\.stripe\\.charge +create: 12 partitions.*cleanup\\.policy=delete.*"
                        + "\\(raw topic the mappings read\\)")
                .containsPattern("\\+ canonical\\.finance\\.payment\\.v1 +create: 12 partitions.*"
                        + "cleanup\\.policy=compact,delete")
                .containsPattern("\\+ canonical\\.finance\\.payment\\.v1-value +register finance\\.Payment "
                        + "\\(new subject\\)")
                .containsPattern("mappings in " + java.util.regex.Pattern.quote(MAPPINGS.toString())
                        + " compile against the registry's schemas")
                .containsPattern("\\+ file-lines +create \\(sources\\[0\\], running\\)")
                .contains("file = ${file:" + secrets + ":source.file}")
                .containsPattern("Plan: \\d+ to create, 0 to change, 0 to delete");
        assertThat(plan.err).isEmpty();

        Run apply = cli("apply", "--config", config.toString());
        assertThat(apply.code).as(apply.toString()).isZero();
        assertThat(apply.out).contains("created topic ops.audit", "registered canonical.finance.payment.v1-value",
                "created connector file-lines", "Applied: ");
        // Topics before schemas before connectors.
        assertThat(apply.out.indexOf("created topic ops.audit")).isLessThan(apply.out.indexOf("registered "));
        assertThat(apply.out.indexOf("registered ")).isLessThan(apply.out.indexOf("created connector"));
        try (Admin admin = admin()) {
            // A new topic reaches the broker's metadata a moment after the controller created it.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                TopicDescription audit = admin.describeTopics(List.of("ops.audit")).allTopicNames().get()
                        .get("ops.audit");
                assertThat(audit.partitions()).hasSize(3);
                assertThat(admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "ops.audit")))
                        .all().get().values().iterator().next().get("retention.ms").value()).isEqualTo("3600000");
            });
        }
        try (SchemaRegistryClient client = Registry.client(registry.url())) {
            assertThat(client.getAllSubjects()).contains("canonical.finance.payment.v1-value",
                    "canonical.crm.contact.v1-value");
        }
        assertThat(rest.connectorConfig("file-lines")).containsEntry("file", "${file:" + secrets + ":source.file}");

        Run again = cli("plan", "--detailed-exitcode", "--config", config.toString());
        assertThat(again.code).as(again.toString()).isZero();
        assertThat(again.out).contains("No changes: the cluster holds what syncline.yaml declares.")
                .containsPattern("= \\d+ topics are as declared").containsPattern("= \\d+ subjects hold")
                .contains("= file-lines unchanged (");
        Run idempotent = cli("apply", "--config", config.toString());
        assertThat(idempotent.code).isZero();
        assertThat(idempotent.out).doesNotContain("Applying:");
    }

    @Test
    void aChangedConnectorIsDiffedPerKeyWithoutSecretValuesAndPausedAsDeclared() throws Exception {
        // Stored by someone else with an inline secret: the plan must not print it while replacing it.
        rest.putConnectorConfig("diffed", Map.of("connector.class", FILE_SOURCE, "file", "/dev/null",
                "topic", "raw.file.diffed", "batch.size", "100", "legacy.password", "hunter2-inline",
                "extra.api.key", "${file:" + secrets + ":key.one}"));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> rest.status("diffed").state().equals("RUNNING"));
        Path config = yaml("diffed.yaml", """
                sources:
                  - name: diffed
                    connector: %s
                    tasks-max: 1
                    state: paused
                    config:
                      file: /dev/null
                      topic: raw.file.diffed
                      legacy.password: ${file:%s:key.two}
                      extra.api.key: ${file:%s:key.two}
                """.formatted(FILE_SOURCE, secrets, secrets));

        Run plan = cli("plan", "--config", config.toString());
        assertThat(plan.code).as(plan.toString()).isZero();
        assertThat(plan.out)
                .containsPattern("~ diffed +update \\(sources\\[0\\]\\)")
                .contains("- batch.size (was 100)")
                .contains("+ tasks.max = 1")
                .contains("~ legacy.password: (hidden) -> ${file:" + secrets + ":key.two}")
                .contains("~ extra.api.key: ${file:" + secrets + ":key.one} -> ${file:" + secrets + ":key.two}")
                .containsPattern("~ diffed +pause \\(RUNNING -> paused\\)")
                .doesNotContain("hunter2-inline").doesNotContain("first-secret-value")
                .doesNotContain("second-secret-value");

        Run apply = cli("apply", "--config", config.toString());
        assertThat(apply.code).as(apply.toString()).isZero();
        assertThat(apply.out).contains("updated connector diffed", "set connector diffed paused")
                .doesNotContain("hunter2-inline");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> rest.status("diffed").state().equals("PAUSED"));
        assertThat(rest.connectorConfig("diffed")).doesNotContainKey("batch.size")
                .containsEntry("legacy.password", "${file:" + secrets + ":key.two}");
        assertThat(cli("plan", "--detailed-exitcode", "--config", config.toString()).code).isZero();
    }

    @Test
    void connectorsThatAreNotDeclaredAreKeptUnlessPruned() throws Exception {
        rest.putConnectorConfig("stray", Map.of("connector.class", FILE_SOURCE, "file", "/dev/null",
                "topic", "raw.file.stray"));
        Path config = yaml("empty.yaml", "sources: []\n");

        Run kept = cli("plan", "--config", config.toString());
        assertThat(kept.out).contains("? stray is on the cluster but not in syncline.yaml: kept (--prune deletes it)")
                .doesNotContain("- stray");
        assertThat(cli("apply", "--config", config.toString()).code).isZero();
        assertThat(rest.connectors()).contains("stray");

        Run pruned = cli("plan", "--prune", "--detailed-exitcode", "--config", config.toString());
        assertThat(pruned.code).isEqualTo(PlanCommand.CHANGES);
        assertThat(pruned.out).containsPattern("- stray +delete \\(source connector not in syncline\\.yaml; --prune");
        Run apply = cli("apply", "--prune", "--config", config.toString());
        assertThat(apply.code).as(apply.toString()).isZero();
        assertThat(apply.out).contains("deleted connector stray");
        assertThat(rest.connectors()).doesNotContain("stray");
    }

    /**
     * Connect never tells a connector it is deleted, so only the one who deletes it can drop the replication slot
     * and publication: apply --prune, with the connector's own connection settings and its password reference.
     */
    @Test
    void pruningAPostgresCdcSourceDropsItsReplicationSlotAndPublication(@TempDir Path pgData) throws Exception {
        try (ShopDatabase db = ShopDatabase.builder().port(0).dataDirectory(pgData).build().start()) {
            createCdcSource(db);
            Path config = yaml("no-cdc.yaml", "sources: []\n");

            Run plan = cli("plan", "--prune", "--config", config.toString());
            assertThat(plan.out).as(plan.toString()).contains("- shop-cdc")
                    .contains("drop replication slot syncline_prune and publication syncline_prune on "
                            + db.host() + ":" + db.port() + "/shop");
            Run apply = cli("apply", "--prune", "--config", config.toString());
            assertThat(apply.code).as(apply.toString()).isZero();
            assertThat(apply.out).contains("deleted connector shop-cdc")
                    .contains("dropped replication slot syncline_prune and publication syncline_prune of connector "
                            + "shop-cdc")
                    .doesNotContain(db.cdcPassword());

            assertThat(query(db, "SELECT count(*)::text FROM pg_replication_slots")).as("no slot left").isEqualTo("0");
            assertThat(query(db, "SELECT count(*)::text FROM pg_publication")).as("no publication left")
                    .isEqualTo("0");
        }
    }

    /**
     * Connect keeps a Debezium task RUNNING while it reconnects to a database that is down, so status asks the
     * database itself, as the connector would, and says so; once the database is back the line goes.
     */
    @Test
    void statusSaysDatabaseDownForACdcSourceWhosePostgresqlIsStopped(@TempDir Path pgData) throws Exception {
        try (ShopDatabase db = ShopDatabase.builder().port(0).dataDirectory(pgData).build().start()) {
            createCdcSource(db);
            String[] flags = {"status", "--bootstrap-servers", kafka.bootstrapServers(), "--registry-url",
                registry.url(), "--connect-url", connect.url()};
            Run up = cli(flags);
            assertThat(up.out).as(up.toString()).containsPattern("shop-cdc +source +RUNNING +0:RUNNING")
                    .doesNotContain("database down");

            db.stop();
            Run down = cli(flags);
            assertThat(rest.status("shop-cdc").tasks()).as("Connect still says RUNNING")
                    .allMatch(t -> t.state().equals("RUNNING"));
            assertThat(down.out).as(down.toString())
                    .containsPattern("shop-cdc +source +RUNNING, database down +0:RUNNING")
                    .contains("shop-cdc: database down: " + db.host() + ":" + db.port() + "/shop does not answer (")
                    .contains("reconnects every 10000 ms")
                    .doesNotContain(db.cdcPassword());

            db.start();
            assertThat(cli(flags).out).doesNotContain("database down");
        }
    }

    /** A postgres-cdc source of the shop's customers, its password a file reference; returns once its task streams. */
    private void createCdcSource(ShopDatabase db) throws Exception {
        Path password = work.resolve("cdc-secrets.properties");
        Files.writeString(password, "shop.cdc.password=" + db.cdcPassword() + "\n");
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.syncline.connect.cdc.PostgresCdcSourceConnector");
        c.put("database.hostname", db.host());
        c.put("database.port", String.valueOf(db.port()));
        c.put("database.user", ShopDatabase.CDC_USER);
        c.put("database.password", "${file:" + password + ":shop.cdc.password}");
        c.put("database.dbname", ShopDatabase.DATABASE);
        c.put("topic.prefix", "cdc.prune");
        c.put("table.include.list", "public.customers");
        c.put("slot.name", "syncline_prune");
        c.put("publication.name", "syncline_prune");
        c.put("publication.autocreate.mode", "filtered");
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("topic.creation.default.partitions", "1");
        c.put("topic.creation.default.replication.factor", "-1");
        rest.putConnectorConfig("shop-cdc", c);
        await("the task reading its slot").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    ConnectRestClient.ConnectorStatus status = rest.status("shop-cdc");
                    assertThat(status.tasks()).as("tasks of shop-cdc").noneMatch(t -> t.state().equals("FAILED"));
                    assertThat(query(db, "SELECT active::text FROM pg_replication_slots WHERE slot_name"
                            + " = 'syncline_prune'")).as("slot active; connector " + status).isEqualTo("true");
                });
        assertThat(query(db, "SELECT count(*)::text FROM pg_publication WHERE pubname = 'syncline_prune'"))
                .isEqualTo("1");
    }

    private static String query(ShopDatabase db, String sql) throws SQLException {
        try (Connection c = db.connectAsSuperuser(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void topicsGrowTakeTheirDeclaredSettingsAndSayThatTheyCannotShrink() throws Exception {
        assertThat(cli("apply", "--config", yaml("grow-1.yaml", """
                topics:
                  - name: ops.grow
                    partitions: 2
                """).toString()).code).isZero();

        Path grow = yaml("grow-2.yaml", """
                topics:
                  - name: ops.grow
                    partitions: 4
                    config:
                      retention.ms: "7200000"
                """);
        Run plan = cli("plan", "--config", grow.toString());
        assertThat(plan.out).containsPattern("~ ops\\.grow +partitions 2 -> 4")
                .contains("(partitions can only grow, so this cannot be undone")
                .containsPattern("~ ops\\.grow +settings")
                .containsPattern("~ retention\\.ms: \\d+ -> 7200000");
        assertThat(cli("apply", "--config", grow.toString()).code).isZero();
        try (Admin admin = admin()) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(admin
                    .describeTopics(List.of("ops.grow")).allTopicNames().get().get("ops.grow").partitions()).hasSize(4));
        }

        Run shrink = cli("plan", "--detailed-exitcode", "--config", yaml("grow-3.yaml", """
                topics:
                  - name: ops.grow
                    partitions: 3
                    config:
                      retention.ms: "7200000"
                """).toString());
        assertThat(shrink.code).as(shrink.toString()).isZero();
        assertThat(shrink.out).contains("warning: topic ops.grow has 4 partitions, syncline.yaml asks for 3 "
                + "(topics[0]): Kafka partitions can only grow, so it keeps 4");
    }

    @Test
    void aTopicSettingKafkaRefusesStopsApplyBeforeAnythingChanges() throws Exception {
        Path config = yaml("bad-topic.yaml", """
                topics:
                  - name: ops.untouched
                    partitions: 1
                  - name: ops.bad
                    config:
                      cleanup.policy: sometimes
                sources:
                  - name: never-created
                    connector: %s
                    config:
                      file: /dev/null
                      topic: raw.file.never
                """.formatted(FILE_SOURCE));
        Run plan = cli("plan", "--detailed-exitcode", "--config", config.toString());
        assertThat(plan.code).as("a problem is 1, even with --detailed-exitcode").isEqualTo(1);
        assertThat(plan.err).contains("error: topic ops.bad (topics[1]): Kafka refuses to create topic ops.bad:")
                .contains("sometimes");
        Run apply = cli("apply", "--config", config.toString());
        assertThat(apply.code).isEqualTo(1);
        assertThat(apply.err).contains("nothing was applied");
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get()).doesNotContain("ops.untouched", "ops.bad");
        }
        assertThat(rest.connectors()).doesNotContain("never-created");
    }

    @Test
    void aSchemaTheRegistryFindsIncompatibleIsReportedWithWhatToDoAndNothingIsApplied() throws Exception {
        try (SchemaRegistryServer other = SchemaRegistryServer.builder(kafka.bootstrapServers()).port(0)
                .topic("_schemas_incompatible").build().start();
             SchemaRegistryClient client = Registry.client(other.url())) {
            // A Payment that the canonical one cannot read: its required fields would have no value.
            client.register("canonical.finance.payment.v1-value", new Schema.Parser().parse("""
                    {"type":"record","name":"Payment","namespace":"io.syncline.schemas.finance",
                     "fields":[{"name":"note","type":["null","string"],"default":null}]}"""));
            Path config = yaml("incompatible.yaml", """
                    topics:
                      - name: ops.untouched-by-schema
                        partitions: 1
                    """);
            Run plan = cli("plan", "--config", config.toString(), "--registry-url", other.url());
            assertThat(plan.code).isEqualTo(1);
            assertThat(plan.err).contains("error: schema canonical.finance.payment.v1-value (finance.Payment from "
                    + "schemas/): the registry refuses it as incompatible with version 1 under BACKWARD")
                    .contains("a breaking change is a new major version");
            Run apply = cli("apply", "--config", config.toString(), "--registry-url", other.url());
            assertThat(apply.code).isEqualTo(1);
            assertThat(apply.err).contains("nothing was applied");
            assertThat(client.getAllSubjects()).containsExactly("canonical.finance.payment.v1-value");
            try (Admin admin = admin()) {
                assertThat(admin.listTopics().names().get()).doesNotContain("ops.untouched-by-schema");
            }
        }
    }

    @Test
    void aConnectorTheWorkerRefusesIsNamedWithItsKeyAndNothingIsApplied() throws Exception {
        Path config = yaml("refused.yaml", ssrfSinkAndMissingPlugin() + """
                topics:
                  - name: ops.untouched-by-connector
                    partitions: 1
                """);
        Run plan = cli("plan", "--config", config.toString());
        assertThat(plan.code).as(plan.toString()).isEqualTo(1);
        assertThat(plan.err)
                .contains("error: sinks[0] (ssrf-sink): the Connect worker refuses it: crm.url:")
                .contains("error: sources[0] (missing-plugin): the Connect worker refuses it: the Connect worker at "
                        + connect.url() + " has no plugin com.example.MissingSourceConnector")
                .doesNotContain("first-secret-value");
        Run apply = cli("apply", "--config", config.toString());
        assertThat(apply.code).isEqualTo(1);
        assertThat(apply.err).contains("nothing was applied");
        assertThat(rest.connectors()).isEmpty();
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get()).doesNotContain("ops.untouched-by-connector");
        }
    }

    @Test
    void anUnreachableClusterIsNamedWithWhereItCameFromAndWhatToDo() throws Exception {
        int nothing = FreePorts.pick();
        Run plan = cli("plan", "--detailed-exitcode", "--config", yaml("any.yaml", "sources: []\n").toString(),
                "--bootstrap-servers", "localhost:" + nothing);
        assertThat(plan.code).isEqualTo(1);
        assertThat(plan.err).contains("error: Kafka at localhost:" + nothing)
                .contains("does not answer").contains("--bootstrap-servers")
                .contains("nothing was changed");
    }

    @Test
    void upRunsTheValidConnectorsAndShowsTheRefusedOnesInItsTableAndInStatus() throws Exception {
        Path dataDir = Files.createDirectories(work.resolve("up-data"));
        var cfg = SynclineConfigLoader.parse(ssrfSinkAndMissingPlugin().replace("sources:\n", """
                sources:
                  - name: good-lines
                    connector: %s
                    config:
                      file: ${file:%s:source.file}
                      topic: raw.file.good
                """.formatted(FILE_SOURCE, secrets)), "up.yaml");
        StackContext context = new StackContext(cfg, EmbeddedConfig.defaults(), dataDir, List.of());
        context.publish(StackContext.KAFKA, kafka.bootstrapServers());
        context.publish(StackContext.REGISTRY, registry.url());
        context.publish(StackContext.CONNECT, connect.url());
        StringWriter progress = new StringWriter();
        ConnectorsComponent connectors = new ConnectorsComponent(new PrintWriter(progress, true));

        connectors.start(context);

        assertThat(progress.toString()).contains("[created good-lines]", "[refused missing-plugin]",
                "[refused ssrf-sink]");
        assertThat(rest.connectors()).containsExactly("good-lines");
        assertThat(connectors.problems()).anyMatch(l -> l.startsWith("sink ssrf-sink (sinks[0]) was not created"))
                .anyMatch(l -> l.startsWith("  crm.url:"))
                .anyMatch(l -> l.contains("has no plugin com.example.MissingSourceConnector"));
        String table = UpCommand.table(List.of(connectors)).render();
        assertThat(table).contains("DOWN: 1 running; missing-plugin refused; ssrf-sink refused - see syncline status");
        assertThat(ConnectorProblems.read(dataDir)).extracting(ConnectorProblems.Refusal::name)
                .containsExactlyInAnyOrder("missing-plugin", "ssrf-sink");

        RunningFile.write(dataDir, context.endpoints());
        try {
            Run status = cli("status", "--data-dir", dataDir.toString());
            assertThat(status.out).containsPattern("good-lines +source +RUNNING")
                    .containsPattern("ssrf-sink +sink +NOT CREATED")
                    .containsPattern("missing-plugin +source +NOT CREATED")
                    .contains("ssrf-sink (sinks[0] of syncline.yaml) refused by the Connect worker: crm.url:");
        } finally {
            RunningFile.delete(dataDir);
        }
    }

    @Test
    void noSecretTheDemoOrTheShippedExamplesUseIsStoredInAConnectorConfigOrReturnedByConnect() throws Exception {
        Path dataDir = Files.createDirectories(work.resolve("demo-data"));
        DemoSandboxesComponent demo = new DemoSandboxesComponent(dataDir, FreePorts.pick(), FreePorts.pick(),
                FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), 1);
        var cfg = demo.pipeline(io.syncline.config.SynclineConfig.defaults());
        StackContext context = new StackContext(cfg, EmbeddedConfig.defaults(), dataDir, List.of());
        demo.start(context);
        demo.shop().preflight(context);
        demo.shop().start(context);
        try {
            context.publish(StackContext.KAFKA, kafka.bootstrapServers());
            context.publish(StackContext.REGISTRY, registry.url());
            context.publish(StackContext.CONNECT, connect.url());
            ConnectorsComponent connectors = new ConnectorsComponent(new PrintWriter(new StringWriter(), true));
            connectors.start(context);
            assertThat(connectors.problems()).isEmpty();

            DemoSecrets secrets = demo.secrets();
            List<String> values = new ArrayList<>(List.of(secrets.webhookSecret()));
            for (String key : List.of(DemoSecrets.PAYMENTS_API_KEY, DemoSecrets.CRM_CLIENT_SECRET,
                    DemoSecrets.CRM_REFRESH_TOKEN, DemoSecrets.CRM_PRIVATE_APP_TOKEN, DemoSecrets.SHOP_CDC_PASSWORD,
                    DemoSecrets.SUPPORT_API_TOKEN, DemoSecrets.SUPPORT_WEBHOOK_SECRET)) {
                values.add(secrets.get(key));
            }
            var http = java.net.http.HttpClient.newHttpClient();
            for (var c : java.util.stream.Stream.concat(cfg.sources().stream(), cfg.sinks().stream()).toList()) {
                String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(connect.url()
                        + "/connectors/" + c.name() + "/config")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                values.forEach(v -> assertThat(body).as("GET /connectors/%s/config", c.name()).doesNotContain(v));
                Set<String> passwords = rest.validate(c.connectorClass(), rest.connectorConfig(c.name()))
                        .passwordKeys();
                rest.connectorConfig(c.name()).forEach((k, v) -> {
                    if (ConnectorConfig.isSecretKey(k) || passwords.contains(k)) {
                        assertThat(v).as("%s of %s", k, c.name()).matches("\\$\\{file:[^}]+}");
                    }
                });
            }
            String stored = configTopic();
            assertThat(stored).contains("demo-crm-contacts");
            values.forEach(v -> assertThat(stored).as("the connect config topic").doesNotContain(v));
        } finally {
            demo.shop().stop();
            demo.stop();
        }

        List<io.syncline.config.ConnectorConfig> examples = ShippedExamples.connectors();
        assertThat(examples).as("connectors in the shipped examples").isNotEmpty();
        for (var c : examples) {
            // Only the definitions are wanted (which keys are PASSWORD); the example's references point at files
            // and variables of a production worker, so they are not sent.
            Map<String, String> probe = new java.util.LinkedHashMap<>(c.connectConfig(true));
            probe.replaceAll((k, v) -> v != null && v.contains("${") ? "placeholder" : v);
            Set<String> passwords = rest.validate(c.connectorClass(), probe).passwordKeys();
            c.config().forEach((k, v) -> {
                if (ConnectorConfig.isSecretKey(k) || passwords.contains(k)) {
                    assertThat(io.syncline.config.ProviderReference.findAll(v)).as("%s of example %s", k, c.name())
                            .singleElement().satisfies(r -> assertThat(r.text()).isEqualTo(v.trim()));
                }
            });
        }
    }

    /** Every record of Connect's config topic, as text. */
    private String configTopic() {
        StringBuilder all = new StringBuilder();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(), "group.id", "plan-apply-it-" + System.nanoTime(),
                "auto.offset.reset", "earliest", "enable.auto.commit", "false"),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            consumer.subscribe(List.of("syncline.connect.configs"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int empty = 0;
            while (System.nanoTime() < deadline && empty < 3) {
                var records = consumer.poll(Duration.ofSeconds(1));
                if (records.isEmpty() && !consumer.assignment().isEmpty()) {
                    empty++;
                }
                records.forEach(r -> all.append(r.key()).append('=').append(r.value()).append('\n'));
            }
        }
        return all.toString();
    }

    /** A CRM sink at a loopback address the SSRF guard refuses, and a source whose plugin is not installed. */
    private String ssrfSinkAndMissingPlugin() {
        return """
                sources:
                  - name: missing-plugin
                    connector: com.example.MissingSourceConnector
                sinks:
                  - name: ssrf-sink
                    connector: crm-contacts
                    topics: [canonical.finance.customer.v1]
                    config:
                      crm.url: http://127.0.0.1:9
                      auth.type: oauth2
                      oauth2.token.url: https://api.hubapi.com/oauth/v1/token
                      oauth2.client.id: app
                      oauth2.client.secret: ${file:%s:key.one}
                      oauth2.refresh.token: ${file:%s:key.two}
                """.formatted(secrets, secrets);
    }

    private Path yaml(String name, String text) throws Exception {
        Path file = work.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }

    /** Runs the CLI in this process against the class's cluster, found through the connection flags only. */
    private Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.get(0).equals("status")) {
            all.addAll(List.of("--mappings", MAPPINGS.toString(), "--data-dir", work.resolve("no-up").toString()));
            if (!all.contains("--bootstrap-servers")) {
                all.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers()));
            }
            if (!all.contains("--registry-url")) {
                all.addAll(List.of("--registry-url", registry.url()));
            }
            all.addAll(List.of("--connect-url", connect.url()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = SynclineCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Path dist() {
        String dir = System.getProperty("syncline.dist");
        assertThat(dir).as("system property syncline.dist, set by the failsafe configuration").isNotBlank();
        return Path.of(dir);
    }
}

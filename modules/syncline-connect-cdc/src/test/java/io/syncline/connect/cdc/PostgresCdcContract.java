package io.syncline.connect.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.syncline.connect.cdc.CdcTopics.Change;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.kafka.EmbeddedConnectWorker;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.kafka.FreePorts;
import io.syncline.registry.client.HttpSchemaRegistryClient;
import io.syncline.registry.client.SchemaMetadata;
import io.syncline.registry.client.SchemaRegistryClient;
import io.syncline.registry.server.SchemaRegistryServer;
import io.syncline.sandbox.shop.ShopDatabase;
import io.syncline.sandbox.shop.ShopTraffic;
import io.syncline.sandbox.shop.ShopTraffic.Operation;
import io.syncline.sandbox.shop.ShopTraffic.RowChange;
import io.syncline.testsupport.connect.ConnectAdmin;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Change data capture from the shop database as Syncline ships it: Syncline's Debezium connector, loaded from its
 * plugin directory by a real Connect worker on the embedded broker, writing Avro through the real registry over HTTP.
 * Each subclass supplies the PostgreSQL server (embedded; a container under {@code -Pdocker}).
 *
 * <p>Every test has its own connector, replication slot and publication (all named {@link #name}) and its own topic
 * prefix, so the tests share one database without reading each other's changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PostgresCdcContract {

    static final String CONNECTOR_CLASS = "io.syncline.connect.cdc.PostgresCdcSourceConnector";
    static final String AVRO_CONVERTER = "io.syncline.registry.connect.AvroConverter";
    static final Duration LONG = Duration.ofSeconds(180);
    private static final Pattern CLEANUP_SQL = Pattern.compile(
            "<!-- cleanup-sql -->\\s*```sql\\n(.*?)```", Pattern.DOTALL);

    Path dir;
    EmbeddedKafkaBroker broker;
    SchemaRegistryServer registry;
    SchemaRegistryClient registryClient;
    CdcDatabase db;
    EmbeddedConnectWorker worker;
    ConnectRestClient rest;
    ConnectAdmin admin;
    Path secrets;
    /** This test's connector, slot and publication name. */
    String name;

    /** Starts the PostgreSQL server under test, with the shop installed. */
    abstract CdcDatabase startDatabase(Path dir) throws Exception;

    static Path pluginPath() {
        return Path.of(System.getProperty("syncline.test.plugin.path", "target/plugin"));
    }

    @BeforeAll
    void startStack(@TempDir Path tmp) throws Exception {
        dir = tmp;
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).port(0).controllerPort(0).build().start();
        registry = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build().start();
        registryClient = HttpSchemaRegistryClient.create(Map.of("schema.registry.url", registry.url()));
        db = startDatabase(dir);
        // The password is a reference the worker resolves, as a user's syncline.yaml would have it.
        secrets = dir.resolve("cdc-secrets.properties");
        Files.writeString(secrets, "password=" + db.cdcPassword() + "\n", StandardCharsets.UTF_8);
        worker = EmbeddedConnectWorker.builder(broker.bootstrapServers()).port(0).pluginDirectory(pluginPath())
                .build().start();
        rest = new ConnectRestClient(worker.url());
        admin = new ConnectAdmin(worker.url());
    }

    @AfterAll
    void stopStack() {
        try (AutoCloseable w = worker; AutoCloseable d = db; AutoCloseable r = registry; AutoCloseable c = registryClient;
             AutoCloseable b = broker) {
            // closed in reverse order: worker, database, registry, client, broker
        } catch (Exception e) {
            throw new IllegalStateException("stopping the test stack", e);
        }
    }

    @BeforeEach
    void nameThisTest(TestInfo test) {
        String method = test.getTestMethod().map(m -> m.getName()).orElse("test");
        String params = test.getDisplayName().startsWith("[") ? test.getDisplayName() : "";
        name = "cdc_" + Integer.toHexString((method + params).hashCode() & 0xfffffff);
    }

    @AfterEach
    void removeConnectorSlotAndPublication() throws SQLException {
        if (!db.isRunning()) {
            db.start();
        }
        if (rest.connectors().contains(name)) {
            rest.deleteConnector(name);
        }
        // A slot retains write-ahead log for as long as it exists: never leave one behind.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (Connection c = db.superuser(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                        + "WHERE slot_name = '" + name + "' AND NOT active");
                return !exists(c, "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?", name);
            }
        });
        try (Connection c = db.superuser(); Statement s = c.createStatement()) {
            s.execute("DROP PUBLICATION IF EXISTS " + name);
        }
    }

    // ------------------------------------------------------------------ the tests

    @Test
    void snapshotsTheTablesThenStreamsInsertsUpdatesAndDeletesWithFullRowImages() throws Exception {
        try (ShopTraffic traffic = ShopTraffic.builder(db::app).seed(1).build()) {
            traffic.runSteps(40);
        }
        Map<String, Integer> before = rowVersions("customers", "orders");
        create(config("cdc.shop", "public.customers,public.orders"));
        try (CdcTopics topics = topics("cdc.shop")) {
            topics.awaitUntil(LONG, "the snapshot of customers and orders", all -> snapshot(all).equals(before));
            assertThat(topics.all()).as("snapshot records are reads").allMatch(c -> c.op().equals("r"));

            long id;
            try (Connection c = db.app(); Statement s = c.createStatement()) {
                id = queryLong(s, "INSERT INTO customers (email, name, country) VALUES ('ada@example.com', "
                        + "'Ada Lovelace', 'GB') RETURNING id");
                s.execute("UPDATE customers SET name = 'Ada King' WHERE id = " + id);
                s.execute("DELETE FROM customers WHERE id = " + id);
            }
            String key = String.valueOf(id);
            List<Change> row = topics.awaitUntil(LONG, "insert, update, delete and tombstone of customer " + id,
                    all -> forKey(all, "cdc.shop.customers", key).size() == 4).stream()
                    .filter(c -> c.topic().equals("cdc.shop.customers") && c.id().equals(key)).toList();
            assertThat(row.subList(0, 3)).extracting(Change::op).containsExactly("c", "u", "d");
            Change insert = row.get(0);
            Change update = row.get(1);
            Change delete = row.get(2);
            assertThat(insert.before()).isNull();
            assertThat(insert.after().get("email")).hasToString("ada@example.com");
            assertThat(update.before().get("name")).as("REPLICA IDENTITY FULL: the whole old row").hasToString("Ada Lovelace");
            assertThat(update.before().get("email")).hasToString("ada@example.com");
            assertThat(update.after().get("name")).hasToString("Ada King");
            assertThat(List.of(update.before().get("version"), update.after().get("version"))).containsExactly(1, 2);
            assertThat(delete.after()).isNull();
            assertThat(delete.before().get("name")).hasToString("Ada King");
            assertThat(row.get(3).tombstone()).as("a tombstone follows the delete, for compaction").isTrue();
            assertThat(List.of(insert.lsn(), update.lsn(), delete.lsn())).as("source.lsn orders the changes")
                    .isSorted().doesNotHaveDuplicates();

            // Streaming keeps every change: the generator's, compared row version by row version.
            Set<String> written = new LinkedHashSet<>();
            try (ShopTraffic traffic = ShopTraffic.builder(db::app).seed(2)
                    .listener((op, changes, at) -> written.addAll(identities("cdc.shop", changes))).build()) {
                traffic.runSteps(60);
            }
            topics.awaitUntil(LONG, "every change the generator committed", all -> identities(all).containsAll(written));
        }
        assertThat(registryClient.getAllSubjects()).as("Avro keys and values registered per topic")
                .contains("cdc.shop.customers-key", "cdc.shop.customers-value", "cdc.shop.orders-key",
                        "cdc.shop.orders-value");
        Schema value = new Schema.Parser().parse(registryClient.getLatestSchemaMetadata("cdc.shop.customers-value")
                .schema());
        assertThat(value.getFullName()).isEqualTo("cdc.shop.customers.Envelope");
        assertThat(value.getFields()).extracting(Schema.Field::name)
                .contains("before", "after", "source", "op", "ts_ms");
    }

    @Test
    void outboxRowsBecomeDomainEventsOnTheTopicsOfTheirAggregates() throws Exception {
        String prefix = "cdc." + name;
        create(withOutboxRouter(prefix, config(prefix, "public.customers,public.orders,public.outbox")));
        awaitRunning();
        List<String> expected = new ArrayList<>();
        try (ShopTraffic traffic = ShopTraffic.builder(db::app).seed(3).listener((op, changes, at) -> {
            // One event per aggregate row the operation changed, in order: an erasure publishes OrderErased for each
            // order it deletes, then CustomerErased; every other operation changes one row.
            List<RowChange> rows = changes.stream().filter(c -> !c.table().equals("outbox")).toList();
            List<RowChange> events = changes.stream().filter(c -> c.table().equals("outbox") && c.op() == 'c')
                    .toList();
            assertThat(events).as("one outbox event per changed row of " + op).hasSameSizeAs(rows);
            for (int i = 0; i < rows.size(); i++) {
                String aggregate = rows.get(i).table().equals("customers") ? "customer" : "order";
                String type = op == Operation.CUSTOMER_ERASED && aggregate.equals("order") ? "OrderErased"
                        : eventType(op);
                expected.add(prefix + ".outbox." + aggregate + " " + rows.get(i).id() + " " + type + " "
                        + events.get(i).id());
            }
        }).build()) {
            traffic.runSteps(30);
        }
        try (CdcTopics topics = topics(prefix)) {
            List<Change> events = topics.awaitUntil(LONG, "the domain events of 30 operations", all ->
                    all.stream().filter(c -> c.topic().startsWith(prefix + ".outbox.")).count() >= expected.size())
                    .stream().filter(c -> c.topic().startsWith(prefix + ".outbox.")).toList();
            assertThat(events).extracting(c -> c.topic() + " " + c.key() + " " + c.headers().get("eventType") + " "
                    + c.headers().get("id")).as("topic, key (aggregate id), type and id of each event")
                    .containsExactlyInAnyOrderElementsOf(expected);
            // Whole-aggregate events: the payload is the aggregate's row (to_jsonb), its id and version included.
            assertThat(events).allSatisfy(e -> assertThat(String.valueOf(e.value()))
                    .as("the payload the application wrote, as JSON").startsWith("{\"id\": " + e.key() + ", ")
                    .contains("\"version\": ").contains("\"updated_at\": "));
            assertThat(topics.all()).as("the outbox table itself is never published").noneMatch(c ->
                    c.topic().equals(prefix + ".outbox"));
        }
    }

    @Test
    void aColumnAddedToACapturedTableRegistersACompatibleNewSchemaVersion() throws Exception {
        String prefix = "cdc." + name;
        String subject = prefix + ".customers-value";
        create(config(prefix, "public.customers"));
        try (CdcTopics topics = topics(prefix); Connection c = db.app(); Statement s = c.createStatement()) {
            long first = queryLong(s, "INSERT INTO customers (email, name, country) VALUES ('grace-" + name
                    + "@example.com', 'Grace Hopper', 'US') RETURNING id");
            topics.awaitUntil(LONG, "customer " + first, all -> !forKey(all, prefix + ".customers", "" + first).isEmpty());
            assertThat(registryClient.getAllVersions(subject)).containsExactly(1);
            s.execute("ALTER TABLE customers ADD COLUMN loyalty_tier text");
            try {
                long second = queryLong(s, "INSERT INTO customers (email, name, country, loyalty_tier) VALUES ('linus-"
                        + name + "@example.com', 'Linus Torvalds', 'FI', 'gold') RETURNING id");
                Change added = topics.awaitUntil(LONG, "customer " + second + " with its loyalty tier", all ->
                        !forKey(all, prefix + ".customers", "" + second).isEmpty()).stream()
                        .filter(ch -> ch.topic().equals(prefix + ".customers") && ch.id().equals("" + second))
                        .findFirst().orElseThrow();
                assertThat(added.after().get("loyalty_tier")).hasToString("gold");
            } finally {
                s.execute("ALTER TABLE customers DROP COLUMN loyalty_tier");
            }
        }
        assertThat(registryClient.getAllVersions(subject)).as("the registry accepted the new version").containsExactly(1, 2);
        assertThat(registryClient.getCompatibility(subject)).as("checked against the previous one").isEqualTo("BACKWARD");
        SchemaMetadata v2 = registryClient.getSchemaMetadata(subject, 2);
        Schema row = new Schema.Parser().parse(v2.schema()).getField("after").schema().getTypes().stream()
                .filter(t -> t.getType() == Schema.Type.RECORD).findFirst().orElseThrow();
        assertThat(row.getField("loyalty_tier").schema().isNullable()).as("a new column is an optional field").isTrue();
        assertThat(row.getField("loyalty_tier").defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
    }

    @Test
    void createsItsSlotAndPublicationAndTheDocumentedStatementsDropThemOnceTheConnectorIsDeleted() throws Exception {
        create(config("cdc." + name, "public.customers,public.orders"));
        awaitRunning();
        await().atMost(LONG).untilAsserted(() -> assertThat(slot()).isEqualTo("pgoutput active"));
        try (Connection c = db.superuser(); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_publication_tables "
                    + "WHERE pubname = '" + name + "'")).as("a publication of the captured tables only")
                    .isEqualTo("customers,orders");
        }
        rest.deleteConnector(name);
        await().atMost(LONG).untilAsserted(() -> assertThat(slot()).as("deleting a connector keeps its slot")
                .isEqualTo("pgoutput inactive"));

        String cleanup = documentedCleanup().replace("syncline_shop", name);
        try (Connection c = db.superuser(); Statement s = c.createStatement()) {
            s.execute(cleanup);
        }
        assertThat(slot()).isEqualTo("none");
        try (Connection c = db.superuser()) {
            assertThat(exists(c, "SELECT 1 FROM pg_publication WHERE pubname = ?", name)).isFalse();
        }
    }

    /**
     * An outage of the database: Connect keeps the task RUNNING while Debezium restarts it every
     * {@code retriable.restart.connector.wait.ms} (errors.max.retries bounds the failures of a running stream, not these
     * reconnections), so the signal that the database is gone is Debezium's streaming metrics: {@code Connected} turns
     * false and the MBean goes away until the task reconnects. Nothing committed before, during or after is lost.
     */
    @Test
    void retriesWhileTheDatabaseIsDownAndCatchesUpOnceItIsBack() throws Exception {
        String prefix = "cdc." + name;
        Map<String, String> config = config(prefix, "public.customers");
        config.put("errors.max.retries", "1");
        config.put("retriable.restart.connector.wait.ms", "1000");
        create(config);
        try (CdcTopics topics = topics(prefix)) {
            String before = insertCustomer("before-" + name);
            topics.awaitUntil(LONG, "the change before the outage", all -> !forKey(all, prefix + ".customers", before).isEmpty());
            await().atMost(LONG).until(() -> streamingConnected(prefix).equals("true"));
            String lastBeforeStop = insertCustomer("at-stop-" + name);
            db.stop();
            await().atMost(LONG).until(() -> !streamingConnected(prefix).equals("true"));
            // However long the outage, Connect must not see a failure: Debezium keeps reconnecting.
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).until(() ->
                    rest.status(name).tasks().stream().allMatch(t -> t.state().equals("RUNNING")));
            db.start();
            await().atMost(LONG).until(() -> streamingConnected(prefix).equals("true"));
            String after = insertCustomer("after-" + name);
            topics.awaitUntil(LONG, "the changes around the outage", all ->
                    !forKey(all, prefix + ".customers", lastBeforeStop).isEmpty()
                            && !forKey(all, prefix + ".customers", after).isEmpty());
        }
        assertThat(rest.status(name).tasks()).allMatch(t -> t.state().equals("RUNNING"));
    }

    /**
     * Debezium's {@code Connected} streaming metric of the connector whose {@code topic.prefix} is {@code prefix}, as
     * docs/connectors/cdc.md tells operators to read it: {@code true}, {@code false}, or {@code absent} while the task
     * restarts. The in-process worker registers its MBeans in this JVM.
     */
    static String streamingConnected(String prefix) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName streaming = new ObjectName("debezium.postgres:type=connector-metrics,context=streaming,server="
                + prefix);
        if (!server.isRegistered(streaming)) {
            return "absent";
        }
        return String.valueOf(server.getAttribute(streaming, "Connected"));
    }

    @ParameterizedTest(name = "[{index}] table.include.list={0} message.key.columns={1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "public.audit_log                  | -                      | public.audit_log",
        "public.customers,public.audit_log | -                      | public.audit_log",
        "-                                 | -                      | public.audit_log",
        "public.customers                  | -                      | -",
        "public.audit_log                  | public.audit_log:at    | -",
        "public.customers,public.audit_log | public\\.audit_.*:at   | -",
    })
    void validationRefusesToCaptureATableWithoutAPrimaryKey(String tables, String keyColumns, String refused)
            throws SQLException {
        createTableWithoutPrimaryKey();
        Map<String, String> config = config("cdc." + name, tables);
        if (tables == null) {
            config.remove("table.include.list");
        }
        if (keyColumns != null) {
            config.put("message.key.columns", keyColumns);
        }
        Map<String, List<String>> errors = admin.validate(CONNECTOR_CLASS, config);
        if (refused == null) {
            assertThat(errors).isEmpty();
        } else {
            assertThat(errors).containsOnlyKeys("table.include.list");
            assertThat(errors.get("table.include.list")).singleElement().asString()
                    .startsWith("table " + refused + " has no primary key")
                    .contains("ALTER TABLE " + refused + " ADD PRIMARY KEY", "message.key.columns (" + refused
                            + ":<column>", "leave the table out of table.include.list");
        }
    }

    @Test
    void creatingAConnectorForATableWithoutAPrimaryKeyIsRefusedWithWhatToDo() throws SQLException {
        createTableWithoutPrimaryKey();
        assertThatThrownBy(() -> create(config("cdc." + name, "public.audit_log")))
                .isInstanceOf(ConnectRestClient.ConnectRestException.class)
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("table public.audit_log has no primary key")
                .hasMessageContaining("ALTER TABLE public.audit_log ADD PRIMARY KEY");
        assertThat(rest.connectors()).doesNotContain(name);
    }

    /**
     * SIGKILL of the worker mid-snapshot and again mid-streaming: the worker that comes back resumes from the last
     * committed position and every row version ends up in the topics (a snapshot interrupted by a crash is taken again
     * from the start, so its rows may appear twice; none is missing).
     */
    @Test
    void aWorkerKilledMidSnapshotAndMidStreamingResumesWithNothingLost() throws Exception {
        String prefix = "cdc." + name;
        int bulkRows = 20_000;
        try (Connection c = db.app(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS cdc_bulk");
            s.execute("CREATE TABLE cdc_bulk (id bigint PRIMARY KEY, version integer NOT NULL, filler text NOT NULL)");
            s.execute("INSERT INTO cdc_bulk SELECT g, 1, repeat(md5(g::text), 4) FROM generate_series(1, " + bulkRows
                    + ") g");
        }
        Map<String, Integer> shopBefore = rowVersions("customers", "orders");
        Map<String, String> config = config(prefix, "public.customers,public.orders,public.cdc_bulk");
        // Small batches: the snapshot takes long enough to be interrupted, and commits as it goes.
        config.put("max.batch.size", "256");
        config.put("snapshot.fetch.size", "256");
        int port = FreePorts.pick();
        String group = "forked-" + name;
        Path log = dir.resolve(name + "-worker.log");
        Set<String> committed = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
        Process forked = ForkedConnectWorker.start(broker.bootstrapServers(), port, pluginPath(), group, log);
        ConnectRestClient forkedRest = new ConnectRestClient("http://localhost:" + port);
        try (CdcTopics topics = topics(prefix)) {
            awaitHealthy(forkedRest, forked, log);
            forkedRest.putConnectorConfig(name, withClass(config));
            int atFirstKill = topics.awaitUntil(LONG, "part of the snapshot", all -> count(all, prefix + ".cdc_bulk")
                    >= 1_000).size();
            ForkedConnectWorker.kill(forked);
            long bulkAtKill = count(topics.poll(), prefix + ".cdc_bulk");
            assertThat(bulkAtKill).as("killed mid-snapshot").isLessThan(bulkRows);

            forked = ForkedConnectWorker.start(broker.bootstrapServers(), port, pluginPath(), group, log);
            awaitHealthy(forkedRest, forked, log);
            topics.awaitUntil(LONG, "the whole snapshot", all -> snapshot(all).keySet().containsAll(bulkKeys(bulkRows))
                    && snapshot(all).entrySet().containsAll(shopBefore.entrySet()));

            try (ShopTraffic traffic = ShopTraffic.builder(db::app).seed(4).rate(150)
                    .listener((op, changes, at) -> committed.addAll(identities(prefix, changes))).build()) {
                traffic.start();
                topics.awaitUntil(LONG, "streaming under way", all -> all.stream().filter(ch -> !ch.tombstone()
                        && !ch.op().equals("r")).count() >= 200);
                ForkedConnectWorker.kill(forked);
                // The application does not stop for the worker: these changes wait in the slot.
                await().atMost(LONG).until(() -> committed.size() >= 400);
                forked = ForkedConnectWorker.start(broker.bootstrapServers(), port, pluginPath(), group, log);
                awaitHealthy(forkedRest, forked, log);
                await().atMost(LONG).until(() -> committed.size() >= 600);
                traffic.stop();
            }
            List<Change> all = topics.awaitUntil(LONG, "every committed change after two kills", a ->
                    identities(a).containsAll(committed));
            assertThat(atFirstKill).isPositive();
            assertThat(snapshot(all).keySet()).as("every row of the snapshot").containsAll(bulkKeys(bulkRows));
            assertThat(identities(all)).as("every change streamed").containsAll(committed);
        } finally {
            try {
                if (forkedRest.connectors().contains(name)) {
                    forkedRest.deleteConnector(name);
                }
            } catch (RuntimeException e) {
                // The worker may be gone already; the slot is dropped in removeConnectorSlotAndPublication.
            }
            ForkedConnectWorker.kill(forked);
            try (Connection c = db.app(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS cdc_bulk");
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A connector configuration as a syncline.yaml source declares it (docs/connectors/cdc.md). */
    Map<String, String> config(String topicPrefix, String tables) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("database.hostname", db.host());
        c.put("database.port", String.valueOf(db.port()));
        c.put("database.user", ShopDatabase.CDC_USER);
        c.put("database.password", "${file:" + secrets.toAbsolutePath() + ":password}");
        c.put("database.dbname", ShopDatabase.DATABASE);
        c.put("topic.prefix", topicPrefix);
        c.put("table.include.list", tables);
        c.put("slot.name", name);
        c.put("publication.name", name);
        c.put("publication.autocreate.mode", "filtered");
        c.put("key.converter", AVRO_CONVERTER);
        c.put("key.converter.schema.registry.url", registry.url());
        c.put("value.converter", AVRO_CONVERTER);
        c.put("value.converter.schema.registry.url", registry.url());
        c.put("poll.interval.ms", "100");
        return c;
    }

    /** {@code config} plus Debezium's outbox event router on the outbox table's records only. */
    static Map<String, String> withOutboxRouter(String prefix, Map<String, String> config) {
        Map<String, String> c = new LinkedHashMap<>(config);
        c.put("transforms", "outbox");
        c.put("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        c.put("transforms.outbox.predicate", "isOutbox");
        c.put("transforms.outbox.route.topic.replacement", prefix + ".outbox.${routedByValue}");
        c.put("transforms.outbox.table.fields.additional.placement", "type:header:eventType");
        c.put("predicates", "isOutbox");
        c.put("predicates.isOutbox.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        c.put("predicates.isOutbox.pattern", Pattern.quote(prefix + ".outbox"));
        return c;
    }

    void create(Map<String, String> config) {
        rest.putConnectorConfig(name, withClass(config));
    }

    static Map<String, String> withClass(Map<String, String> config) {
        Map<String, String> c = new LinkedHashMap<>(config);
        c.put("connector.class", CONNECTOR_CLASS);
        return c;
    }

    CdcTopics topics(String prefix) {
        return new CdcTopics(broker.bootstrapServers(), registry.url(), prefix);
    }

    void awaitRunning() {
        await().atMost(LONG).ignoreExceptions().untilAsserted(() -> {
            ConnectRestClient.ConnectorStatus status = rest.status(name);
            for (ConnectRestClient.TaskStatus t : status.tasks()) {
                if (t.state().equals("FAILED")) {
                    throw new AssertionError("task " + t.id() + " of " + name + " failed:\n" + t.trace());
                }
            }
            assertThat(status.state()).isEqualTo("RUNNING");
            assertThat(status.tasks()).isNotEmpty().allMatch(t -> t.state().equals("RUNNING"));
        });
    }

    private static void awaitHealthy(ConnectRestClient rest, Process worker, Path log) {
        await().atMost(LONG).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!worker.isAlive()) {
                throw new AssertionError("the forked Connect worker exited with " + worker.exitValue() + ":\n"
                        + Files.readString(log));
            }
            return rest.healthy();
        });
    }

    /** {@code pgoutput active}, {@code pgoutput inactive} or {@code none}. */
    String slot() throws SQLException {
        try (Connection c = db.superuser(); PreparedStatement p = c.prepareStatement(
                "SELECT plugin, active FROM pg_replication_slots WHERE slot_name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) + (rs.getBoolean(2) ? " active" : " inactive") : "none";
            }
        }
    }

    /** The statements docs/connectors/cdc.md gives for removing a deleted connector's slot and publication. */
    static String documentedCleanup() {
        Path page = Path.of(System.getProperty("syncline.docs.dir", "../../docs"), "connectors", "cdc.md");
        try {
            Matcher m = CLEANUP_SQL.matcher(Files.readString(page, StandardCharsets.UTF_8));
            assertThat(m.find()).as("%s has a sql block after <!-- cleanup-sql -->", page).isTrue();
            return m.group(1).lines().filter(l -> !l.startsWith("--")).collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void createTableWithoutPrimaryKey() throws SQLException {
        try (Connection c = db.app(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS audit_log (at timestamptz NOT NULL DEFAULT now(), message text)");
        }
    }

    String insertCustomer(String tag) throws SQLException {
        try (Connection c = db.app(); Statement s = c.createStatement()) {
            return String.valueOf(queryLong(s, "INSERT INTO customers (email, name, country) VALUES ('" + tag
                    + "@example.com', '" + tag + "', 'DE') RETURNING id"));
        }
    }

    /** {@code <table>:<id>} to version of every row of {@code tables}. */
    Map<String, Integer> rowVersions(String... tables) throws SQLException {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection c = db.app(); Statement s = c.createStatement()) {
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT id, version FROM " + table)) {
                    while (rs.next()) {
                        rows.put(table + ":" + rs.getLong(1), rs.getInt(2));
                    }
                }
            }
        }
        return rows;
    }

    /** {@code <table>:<id>} to version of the snapshot reads among {@code changes}. */
    static Map<String, Integer> snapshot(List<Change> changes) {
        Map<String, Integer> rows = new HashMap<>();
        for (Change c : changes) {
            if (!c.tombstone() && c.op().equals("r")) {
                rows.put(c.topic().substring(c.topic().lastIndexOf('.') + 1) + ":" + c.id(), c.version());
            }
        }
        return rows;
    }

    static List<String> bulkKeys(int rows) {
        List<String> keys = new ArrayList<>(rows);
        for (int i = 1; i <= rows; i++) {
            keys.add("cdc_bulk:" + i);
        }
        return keys;
    }

    static long count(List<Change> changes, String topic) {
        return changes.stream().filter(c -> c.topic().equals(topic)).count();
    }

    static List<Change> forKey(List<Change> changes, String topic, String id) {
        return changes.stream().filter(c -> c.topic().equals(topic) && c.id().equals(id)).toList();
    }

    /** The identities ({@link Change#identity()}) of the generator's customer and order changes. */
    static List<String> identities(String prefix, List<RowChange> changes) {
        return changes.stream().filter(c -> !c.table().equals("outbox"))
                .map(c -> prefix + "." + c.table() + ":" + c.id() + ":" + c.version() + ":" + c.op()).toList();
    }

    static Set<String> identities(List<Change> changes) {
        return changes.stream().filter(c -> !c.tombstone() && !c.topic().contains(".outbox"))
                .map(Change::identity).collect(Collectors.toSet());
    }

    /** {@code ORDER_PLACED} → {@code OrderPlaced}, the type the generator writes to the outbox. */
    static String eventType(Operation op) {
        StringBuilder type = new StringBuilder();
        for (String part : op.name().split("_")) {
            type.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return type.toString();
    }

    static long queryLong(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static boolean exists(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, arg);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }
}

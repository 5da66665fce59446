package io.syncline.sandbox.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.syncline.sandbox.shop.ShopTraffic.Operation;
import io.syncline.sandbox.shop.ShopTraffic.RowChange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shop database on a real embedded PostgreSQL, and the traffic its generator writes. */
class ShopDatabaseIT {

    @TempDir
    static Path dir;
    static ShopDatabase db;

    @BeforeAll
    static void start() {
        db = ShopDatabase.builder().port(0).dataDirectory(dir.resolve("shop")).build().start();
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void startsWithTheShopTablesReadyForLogicalReplication() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            assertThat(single(s, "SHOW wal_level")).isEqualTo("logical");
            assertThat(single(s, "SHOW synchronous_commit")).as("commits visible to logical decoding at once")
                    .isEqualTo("on");
            assertThat(single(s, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables "
                    + "WHERE schemaname = 'public'")).isEqualTo("customers,orders,outbox");
            assertThat(single(s, "SELECT string_agg(relname || ':' || relreplident, ',' ORDER BY relname) FROM pg_class "
                    + "WHERE relname IN ('customers', 'orders', 'outbox')"))
                    .as("full before-images for the captured tables").isEqualTo("customers:f,orders:f,outbox:d");
            assertThat(single(s, "SELECT rolreplication::text FROM pg_roles WHERE rolname = '" + ShopDatabase.CDC_USER
                    + "'")).isEqualTo("true");
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), ShopDatabase.CDC_USER, db.cdcPassword())) {
            assertThat(c.isValid(5)).isTrue();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), ShopDatabase.CDC_USER, "wrong"))
                .as("roles other than the superuser prove their password").hasMessageContaining("password");
    }

    @Test
    void trafficWritesEveryOperationWithTheVersionsTheRowsCarry() throws SQLException {
        // Other tests of the class write too: start from what is there and apply what the listener is told.
        Map<String, Integer> expected = rowVersions();
        List<Operation> ops = new ArrayList<>();
        try (ShopTraffic traffic = ShopTraffic.builder(db).seed(7).listener((op, changes, at) -> {
            ops.add(op);
            for (RowChange c : changes) {
                if (c.table().equals("outbox")) {
                    continue;
                }
                if (c.op() == 'd') {
                    expected.remove(c.table() + ":" + c.id());
                } else {
                    expected.put(c.table() + ":" + c.id(), c.version());
                }
            }
        }).build()) {
            int rows = traffic.runSteps(400);
            assertThat(traffic.rowChanges()).isEqualTo(rows);
            assertThat(traffic.operations().keySet()).as("every kind of operation within 400 steps")
                    .containsExactlyInAnyOrder(Operation.values());
        }
        assertThat(ops).hasSize(400);
        assertThat(rowVersions()).as("what the listener was told is what the database holds").isEqualTo(expected);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT count(*)::text FROM outbox")).as("outbox rows are deleted as written")
                    .isEqualTo("0");
        }
    }

    private static Map<String, Integer> rowVersions() throws SQLException {
        Map<String, Integer> versions = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String table : List.of("customers", "orders")) {
                try (ResultSet rs = s.executeQuery("SELECT id, version FROM " + table)) {
                    while (rs.next()) {
                        versions.put(table + ":" + rs.getLong(1), rs.getInt(2));
                    }
                }
            }
        }
        return versions;
    }

    @Test
    void theSameSeedWritesTheSameTrafficOnTheSameStartingData() throws SQLException {
        try (ShopDatabase fresh = ShopDatabase.builder().port(0).build().start()) {
            List<String> first = traffic(fresh, 11);
            // Back to an empty shop, sequences included: what a fresh database would be.
            try (Connection c = fresh.connect(); Statement s = c.createStatement()) {
                s.execute("TRUNCATE customers, orders, outbox RESTART IDENTITY");
            }
            assertThat(traffic(fresh, 11)).isEqualTo(first);
        }
    }

    private static List<String> traffic(ShopDatabase on, long seed) {
        List<String> log = new ArrayList<>();
        try (ShopTraffic traffic = ShopTraffic.builder(on).seed(seed).listener((op, changes, at) ->
                changes.forEach(c -> log.add(op + " " + (c.table().equals("outbox") ? "outbox " + c.op() : c))))
                .build()) {
            traffic.runSteps(60);
        }
        return log;
    }

    @Test
    void keepsItsRowsAcrossAStopAndAStart() throws SQLException {
        try (ShopTraffic traffic = ShopTraffic.builder(db).seed(3).build()) {
            traffic.runSteps(20);
        }
        String before = customersDigest();
        db.stop();
        assertThat(db.isRunning()).isFalse();
        assertThatThrownBy(db::connect).isInstanceOf(SQLException.class);
        db.start();
        assertThat(customersDigest()).isEqualTo(before);
    }

    @Test
    void aServerLeftRunningByAKilledProcessIsStoppedBeforeTheNextStart() throws Exception {
        Path data = dir.resolve("killed");
        ShopDatabase probe = ShopDatabase.builder().port(0).build(); // only for a free port
        int port = probe.port();
        probe.close();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process shop = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ShopDatabaseProcess.class.getName(), String.valueOf(port), data.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("shop-process.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
                if (!shop.isAlive()) {
                    throw new AssertionError("the shop process exited: " + Files.readString(dir.resolve("shop-process.log")));
                }
                return Files.readString(dir.resolve("shop-process.log")).contains("ready");
            });
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/shop",
                    ShopDatabase.APP_USER, ShopDatabase.APP_PASSWORD); Statement s = c.createStatement()) {
                s.execute("INSERT INTO customers (email, name, country) VALUES ('kept@example.com', 'Kept', 'DE')");
            }
        } finally {
            shop.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(Files.exists(data.resolve("postmaster.pid"))).as("the killed process left its server running")
                .isTrue();
        try (ShopDatabase again = ShopDatabase.builder().port(port).dataDirectory(data).build().start();
             Connection c = again.connect(); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT name FROM customers WHERE email = 'kept@example.com'")).isEqualTo("Kept");
        }
    }

    private static String customersDigest() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            return single(s, "SELECT count(*) || ':' || coalesce(sum(version), 0) || ':' || coalesce(max(email), '') "
                    + "FROM customers");
        }
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

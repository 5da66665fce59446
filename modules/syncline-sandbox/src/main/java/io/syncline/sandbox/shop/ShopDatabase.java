package io.syncline.sandbox.shop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's application database: a real PostgreSQL server (zonky's embedded binaries from Maven Central) holding
 * the database {@code shop} with customers, orders and an outbox table, ready for logical replication
 * ({@code wal_level=logical}).
 *
 * <p>Two roles besides the superuser: {@code shop}, the application, which owns the tables; and {@code syncline_cdc},
 * the change data capture user, with {@code REPLICATION} and membership in {@code shop} so that Debezium may create and
 * maintain a publication for the tables it captures. Both log in with a password over TCP on loopback; only the
 * superuser {@code postgres} is trusted there (the embedded server's own start-up check connects as it).
 *
 * <p>The data directory survives {@link #stop()} and, when given, {@link #close()}: a restart on it keeps the rows,
 * the replication slots and their positions. A server left running by a process that was killed (its
 * {@code postmaster.pid} names a live {@code postgres}) is stopped before the new one starts.
 */
public final class ShopDatabase implements AutoCloseable {

    public static final int DEFAULT_PORT = 15432;
    public static final String DATABASE = "shop";
    public static final String APP_USER = "shop";
    public static final String APP_PASSWORD = "shop";
    public static final String CDC_USER = "syncline_cdc";
    public static final String DEFAULT_CDC_PASSWORD = "syncline-cdc";

    private static final Logger log = LoggerFactory.getLogger(ShopDatabase.class);
    private static final String SCHEMA = "schema.sql";
    // The embedded server's own readiness check connects as the superuser over TCP, so it stays trusted on loopback;
    // everyone else proves a password, as against any real server.
    private static final String PG_HBA = """
            # Written by io.syncline.sandbox.shop.ShopDatabase at every start.
            local   all          postgres                 trust
            host    all          postgres  127.0.0.1/32   trust
            host    all          postgres  ::1/128        trust
            host    all          all       127.0.0.1/32   scram-sha-256
            host    all          all       ::1/128        scram-sha-256
            host    replication  all       127.0.0.1/32   scram-sha-256
            host    replication  all       ::1/128        scram-sha-256
            """;

    private final int port;
    private final Path dataDirectory;
    private final boolean temporary;
    private final String cdcPassword;
    private final Duration startTimeout;
    private EmbeddedPostgres server;

    private ShopDatabase(Builder b) {
        this.port = b.port == 0 ? anyFreePort() : b.port;
        this.temporary = b.dataDirectory == null;
        try {
            this.dataDirectory = temporary ? Files.createTempDirectory("syncline-shop-db") : b.dataDirectory;
        } catch (IOException e) {
            throw new UncheckedIOException("creating a temporary directory for the shop database", e);
        }
        this.cdcPassword = b.cdcPassword;
        this.startTimeout = b.startTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the server (creating the cluster, roles, database and tables on first use) and returns this. Idempotent;
     * after {@link #stop()} it starts the same server again on the same port and data.
     */
    public synchronized ShopDatabase start() {
        if (server != null) {
            return this;
        }
        try {
            Files.createDirectories(dataDirectory);
            stopLeftoverServer(dataDirectory);
            server = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(startTimeout)
                    .setServerConfig("wal_level", "logical")
                    // The embedded server's default is off: a commit would return before its WAL is flushed, and
                    // logical decoding would see it only at the next background flush (up to 200 ms later), a delay
                    // no production database configured for CDC has.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_wal_senders", "10")
                    .setServerConfig("max_replication_slots", "10")
                    .setServerConfig("listen_addresses", "localhost")
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("starting the shop database (PostgreSQL) on port " + port + " with data in "
                    + dataDirectory + ": " + e.getMessage(), e);
        }
        try {
            Files.writeString(dataDirectory.resolve("pg_hba.conf"), PG_HBA, StandardCharsets.UTF_8);
            prepare();
        } catch (IOException | SQLException | RuntimeException e) {
            stop();
            throw new IllegalStateException("preparing the shop database on port " + port + ": " + e.getMessage(), e);
        }
        log.debug("shop database ready at {}", jdbcUrl());
        return this;
    }

    /** Stops the server and keeps its data (a later {@link #start()} comes back on it). Idempotent. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        EmbeddedPostgres s = server;
        server = null;
        try {
            s.close();
        } catch (IOException e) {
            throw new UncheckedIOException("stopping the shop database on port " + port, e);
        }
    }

    /** Stops the server; a temporary data directory (none given to the builder) is deleted. */
    @Override
    public synchronized void close() {
        stop();
        if (temporary) {
            deleteRecursively(dataDirectory);
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public String host() {
        return "localhost";
    }

    public int port() {
        return port;
    }

    public String database() {
        return DATABASE;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The change data capture user's password (a demo value: the server listens on loopback only). */
    public String cdcPassword() {
        return cdcPassword;
    }

    /** {@code jdbc:postgresql://localhost:<port>/shop}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host() + ":" + port + "/" + DATABASE;
    }

    /** A URL any PostgreSQL client takes, e.g. {@code psql postgresql://shop:shop@localhost:15432/shop}. */
    public String clientUrl() {
        return "postgresql://" + APP_USER + ":" + APP_PASSWORD + "@" + host() + ":" + port + "/" + DATABASE;
    }

    /** A new connection as the application user {@code shop}; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), APP_USER, APP_PASSWORD);
    }

    /** A new connection as the superuser, for what the application may not do (inspect or drop replication slots). */
    public Connection connectAsSuperuser() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    private void prepare() throws IOException, SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host() + ":" + port + "/postgres",
                "postgres", ""); Statement s = c.createStatement()) {
            s.execute("SELECT pg_reload_conf()"); // the pg_hba.conf just written
        }
        install(host(), port, "postgres", "", cdcPassword);
    }

    /**
     * Creates what is missing of the shop on any PostgreSQL server (the embedded one, a container, your own): the roles
     * {@value #APP_USER} and {@value #CDC_USER} (whose password is set to {@code cdcPassword}), the database
     * {@value #DATABASE} owned by {@value #APP_USER}, and its tables. The server needs {@code wal_level=logical} for
     * change data capture.
     *
     * @param superuser a role that may create roles and databases
     */
    public static void install(String host, int port, String superuser, String superuserPassword, String cdcPassword)
            throws SQLException, IOException {
        String base = "jdbc:postgresql://" + host + ":" + port + "/";
        try (Connection c = DriverManager.getConnection(base + "postgres", superuser, superuserPassword);
             Statement s = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", APP_USER)) {
                s.execute("CREATE ROLE " + APP_USER + " LOGIN PASSWORD '" + APP_PASSWORD + "'");
            }
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", CDC_USER)) {
                s.execute("CREATE ROLE " + CDC_USER + " LOGIN REPLICATION IN ROLE " + APP_USER);
            }
            // Set every time: a data directory outlives any one configuration of the password.
            s.execute("ALTER ROLE " + CDC_USER + " PASSWORD '" + cdcPassword.replace("'", "''") + "'");
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
                s.execute("CREATE DATABASE " + DATABASE + " OWNER " + APP_USER);
                // CREATE PUBLICATION needs CREATE on the database (and ownership of the tables, through role shop).
                s.execute("GRANT CREATE ON DATABASE " + DATABASE + " TO " + CDC_USER);
            }
        }
        try (Connection c = DriverManager.getConnection(base + DATABASE, APP_USER, APP_PASSWORD);
             Statement s = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = ?", "customers")) {
                s.execute(schemaScript());
            }
        }
    }

    private static boolean exists(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, arg);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String schemaScript() throws IOException {
        try (InputStream in = ShopDatabase.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IOException("resource " + SCHEMA + " is missing next to " + ShopDatabase.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Stops a PostgreSQL server that a killed process left running on {@code dataDirectory}, if any; does nothing when
     * there is none. {@link #start()} calls it; so may a caller that checks the port first (a leftover still holds it).
     * A process killed with SIGKILL leaves its server running, and a new one would refuse that data directory. SIGTERM
     * asks for PostgreSQL's smart shutdown, which completes once the clients are gone; they died with their process.
     */
    public static void stopLeftoverServer(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        Optional<ProcessHandle> leftover = lines.isEmpty() ? Optional.empty() : parsePid(lines.get(0))
                .flatMap(ProcessHandle::of)
                // Only a postgres process: after a reboot the number may belong to anything else.
                .filter(p -> p.info().command().map(cmd -> cmd.endsWith("postgres")).orElse(false));
        if (leftover.isEmpty()) {
            return;
        }
        ProcessHandle p = leftover.get();
        log.info("stopping a PostgreSQL server (pid {}) left running on {} by a process that did not stop it",
                p.pid(), dataDirectory);
        p.destroy();
        try {
            p.onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("a PostgreSQL server (pid " + p.pid() + ") still runs on " + dataDirectory
                    + " and did not stop within 60 s; stop it, then start again", e);
        }
    }

    private static Optional<Long> parsePid(String line) {
        try {
            return Optional.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int anyFreePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("finding a free port for the shop database", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("could not delete the shop database's temporary directory {}: {}", dir, e.toString());
        }
    }

    /** Settings for a {@link ShopDatabase}. */
    public static final class Builder {
        private int port = DEFAULT_PORT;
        private Path dataDirectory;
        private String cdcPassword = DEFAULT_CDC_PASSWORD;
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The port on loopback; default {@value ShopDatabase#DEFAULT_PORT}; 0 picks a free one once. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("shop database port must be 0 to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Where the cluster lives and survives restarts; default a temporary directory deleted by close(). */
        public Builder dataDirectory(Path dir) {
            this.dataDirectory = dir;
            return this;
        }

        /** The password of {@value ShopDatabase#CDC_USER}; default {@value ShopDatabase#DEFAULT_CDC_PASSWORD}. */
        public Builder cdcPassword(String password) {
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("the CDC user's password must not be empty");
            }
            this.cdcPassword = password;
            return this;
        }

        /** How long the server may take to accept connections; default 60 s (a cold first start unpacks binaries). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public ShopDatabase build() {
            return new ShopDatabase(this);
        }
    }
}

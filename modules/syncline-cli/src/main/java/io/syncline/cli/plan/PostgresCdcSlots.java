package io.syncline.cli.plan;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * The replication slot and publication of a PostgreSQL CDC source (Syncline's {@code postgres-cdc} or Debezium's own
 * connector), read from the connector's stored configuration and dropped once the connector is deleted.
 *
 * <p>Connect tells a connector that it stops, never that it is deleted, so neither Debezium nor the plugin can tell a
 * deletion from a restart or a rebalance; Debezium's {@code slot.drop.on.stop} drops the slot at every stop and so
 * loses its position at every restart. Only the one who deletes the connector knows: {@code syncline apply --prune}.
 * The connection settings are the connector's own, its {@code ${file:…}} and {@code ${env:…}} references resolved
 * with the config providers Syncline's Connect workers declare, so no second copy of the password is needed.
 */
public final class PostgresCdcSlots {

    /** The connector classes that hold a replication slot. */
    static final Set<String> CONNECTOR_CLASSES = Set.of("io.syncline.connect.cdc.PostgresCdcSourceConnector",
            "io.debezium.connector.postgresql.PostgresConnector");

    /** Debezium's defaults for the keys when a config leaves them out. */
    static final String DEFAULT_SLOT = "debezium";
    static final String DEFAULT_PUBLICATION = "dbz_publication";

    /** How long a deleted connector's task may take to let go of its slot. */
    static final Duration RELEASE_WAIT = Duration.ofSeconds(30);

    private static final Pattern PROVIDER_REFERENCE = Pattern.compile("\\$\\{([^:}]+):");

    private PostgresCdcSlots() {
    }

    /** Whether {@code config} is a connector that holds a PostgreSQL replication slot. */
    public static boolean holdsSlot(Map<String, String> config) {
        return config != null && CONNECTOR_CLASSES.contains(config.get("connector.class"));
    }

    static String slot(Map<String, String> config) {
        return config.getOrDefault("slot.name", DEFAULT_SLOT);
    }

    /**
     * The publication to drop, or empty when the connector did not create it ({@code publication.autocreate.mode:
     * disabled}: a DBA made it, perhaps for other readers too, so it is theirs to drop).
     */
    static Optional<String> publication(Map<String, String> config) {
        if ("disabled".equalsIgnoreCase(config.getOrDefault("publication.autocreate.mode", "all_tables"))) {
            return Optional.empty();
        }
        return Optional.of(config.getOrDefault("publication.name", DEFAULT_PUBLICATION));
    }

    /** {@code host:port/dbname}, for messages. */
    public static String where(Map<String, String> config) {
        return config.getOrDefault("database.hostname", "?") + ":" + config.getOrDefault("database.port", "5432") + "/"
                + config.getOrDefault("database.dbname", "?");
    }

    /** The statements that do it by hand, for a message when Syncline cannot. */
    static String manualSql(Map<String, String> config) {
        return "SELECT pg_drop_replication_slot('" + slot(config).replace("'", "''") + "');"
                + publication(config).map(p -> " DROP PUBLICATION IF EXISTS " + identifier(p) + ";").orElse("");
    }

    /**
     * Waits until no task reads the slot any more (a deleted connector's task stops asynchronously), then drops the
     * slot and the publication; what is already gone is skipped.
     *
     * @return what was dropped, e.g. {@code [slot syncline_shop, publication syncline_shop]}
     * @throws SQLException naming the database and saying how to drop them by hand
     */
    static List<String> drop(Map<String, String> storedConfig, Duration releaseWait) throws SQLException,
            InterruptedException {
        Map<String, String> config = resolve(storedConfig);
        String slot = slot(config);
        Optional<String> publication = publication(config);
        String url = url(config);
        List<String> dropped = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, config.get("database.user"),
                config.get("database.password"))) {
            long deadline = System.nanoTime() + releaseWait.toNanos();
            Boolean active;
            while (Boolean.TRUE.equals(active = slotActive(c, slot))) {
                if (System.nanoTime() > deadline) {
                    throw new Described("replication slot '" + slot + "' on " + where(config) + " is still read by"
                            + " a task " + releaseWait.toSeconds() + " s after the connector was deleted; once "
                            + "SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "' says false,"
                            + " drop it: " + manualSql(config));
                }
                // Polling is all PostgreSQL offers: no notification tells when a walsender exits.
                Thread.sleep(200);
            }
            if (active != null) {
                try (PreparedStatement p = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                    p.setString(1, slot);
                    p.execute();
                }
                dropped.add("slot " + slot);
            }
            if (publication.isPresent()) {
                try (Statement s = c.createStatement()) {
                    boolean existed = exists(c, publication.get());
                    s.execute("DROP PUBLICATION IF EXISTS " + identifier(publication.get()));
                    if (existed) {
                        dropped.add("publication " + publication.get());
                    }
                }
            }
        } catch (SQLException e) {
            if (e instanceof Described) {
                throw e;
            }
            throw new SQLException("dropping replication slot '" + slot + "'" + publication.map(p -> " and publication '"
                    + p + "'").orElse("") + " on " + where(config) + " as " + config.get("database.user") + ": "
                    + e.getMessage() + "; drop them by hand: " + manualSql(config), e.getSQLState(), e);
        }
        return dropped;
    }

    /** An error whose message already says what happened and what to do. */
    private static final class Described extends SQLException {
        Described(String message) {
            super(message);
        }
    }

    /**
     * Whether the connector's database answers, asked as the connector asks it (its {@code database.*} settings, its
     * password reference resolved): empty when it does, else why not ({@code Connection refused}, an authentication
     * failure, a timeout). For {@code status}: Connect keeps a Debezium task RUNNING while it reconnects, so the task
     * state alone never says the database is down.
     */
    public static Optional<String> probe(Map<String, String> storedConfig, Duration timeout) {
        try {
            Map<String, String> config = resolve(storedConfig);
            java.util.Properties props = new java.util.Properties();
            props.setProperty("user", config.getOrDefault("database.user", ""));
            props.setProperty("password", config.getOrDefault("database.password", ""));
            props.setProperty("connectTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
            props.setProperty("socketTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
            props.setProperty("loginTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
            try (Connection c = DriverManager.getConnection(url(config), props); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
            }
            return Optional.empty();
        } catch (SQLException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return Optional.of(message.lines().findFirst().orElse(message));
        }
    }

    private static String url(Map<String, String> config) {
        return "jdbc:postgresql://" + config.getOrDefault("database.hostname", "localhost") + ":"
                + config.getOrDefault("database.port", "5432") + "/" + config.getOrDefault("database.dbname", "");
    }

    /** True when a task reads the slot, false when none does, null when there is no such slot. */
    private static Boolean slotActive(Connection c, String slot) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            p.setString(1, slot);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        }
    }

    private static boolean exists(Connection c, String publication) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            p.setString(1, publication);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A quoted SQL identifier: publication names are identifiers, not values, so they cannot be bound. */
    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /**
     * The config with its {@code ${file:…}} and {@code ${env:…}} references resolved as Syncline's workers resolve
     * them ({@code config.providers=env,file}); a reference to another provider is refused with its key.
     */
    static Map<String, String> resolve(Map<String, String> config) throws SQLException {
        for (Map.Entry<String, String> e : config.entrySet()) {
            Matcher m = PROVIDER_REFERENCE.matcher(e.getValue() == null ? "" : e.getValue());
            while (m.find()) {
                if (!m.group(1).equals("file") && !m.group(1).equals("env")) {
                    throw new SQLException(e.getKey() + " refers to config provider '" + m.group(1) + "', which only"
                            + " the Connect worker resolves (syncline resolves file and env); drop the slot and the"
                            + " publication by hand: " + manualSql(config));
                }
            }
        }
        Map<String, ConfigProvider> providers = new LinkedHashMap<>();
        FileConfigProvider file = new FileConfigProvider();
        file.configure(Map.of());
        EnvVarConfigProvider env = new EnvVarConfigProvider();
        env.configure(Map.of());
        providers.put("file", file);
        providers.put("env", env);
        // Neither provider holds a resource between calls (the file is read per lookup), so nothing to close.
        return new ConfigTransformer(providers).transform(config).data();
    }
}

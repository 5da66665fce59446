package io.syncline.cli.up;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.syncline.config.ConnectorConfig;
import io.syncline.kafka.FreePorts;
import io.syncline.ops.Health;
import io.syncline.sandbox.shop.ShopDatabase;
import io.syncline.sandbox.shop.ShopSandbox;

/**
 * {@code syncline up --demo}: the shop application's PostgreSQL database (embedded, data in
 * {@code <data-dir>/demo/postgres}, so rows, the replication slot and its position survive a restart) with its
 * generated traffic, and the Debezium source that captures it into {@code cdc.shop.*} ({@link #source}), declared with
 * the {@code syncline.yaml} model as docs/connectors/cdc.md shows it.
 */
public final class DemoShopComponent implements Component {

    public static final String SOURCE_NAME = "demo-shop-cdc";
    public static final String TOPIC_PREFIX = "cdc.shop";
    /** The replication slot's and the publication's name. */
    public static final String SLOT = "syncline_shop";

    private final int port;
    private final double rowChangesPerSecond;
    private final Path dataDirectory;
    private final DemoSecrets secrets;
    private ShopSandbox shop;

    /**
     * @param demoDir the demo's directory under the data directory
     * @param port the database's port (the {@code --postgres-port} flag)
     * @param secrets the demo's credentials, among them the CDC user's password (drawn per data directory)
     */
    DemoShopComponent(Path demoDir, int port, double rowChangesPerSecond, DemoSecrets secrets) {
        this.port = port;
        this.rowChangesPerSecond = rowChangesPerSecond;
        this.dataDirectory = demoDir.resolve("postgres");
        this.secrets = secrets;
    }

    /** The CDC source: customers, orders and the outbox (through Debezium's outbox event router) into cdc.shop.*. */
    ConnectorConfig source() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("database.hostname", "localhost");
        c.put("database.port", String.valueOf(port));
        c.put("database.user", ShopDatabase.CDC_USER);
        c.put("database.password", secrets.reference(DemoSecrets.SHOP_CDC_PASSWORD));
        c.put("database.dbname", ShopDatabase.DATABASE);
        c.put("topic.prefix", TOPIC_PREFIX);
        c.put("table.include.list", "public.customers,public.orders,public.outbox");
        c.put("slot.name", SLOT);
        c.put("publication.name", SLOT);
        c.put("publication.autocreate.mode", "filtered");
        c.put("key.converter", "io.syncline.registry.connect.AvroConverter");
        c.put("key.converter.schema.registry.url", ConnectorsComponent.REGISTRY_URL);
        c.put("value.converter", "io.syncline.registry.connect.AvroConverter");
        c.put("value.converter.schema.registry.url", ConnectorsComponent.REGISTRY_URL);
        // Connect creates the cdc.shop.* topics (up's broker auto-creates none), with the partitions raw topics have.
        c.put("topic.creation.default.partitions", "12");
        c.put("topic.creation.default.replication.factor", "-1");
        c.put("transforms", "outbox");
        c.put("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        c.put("transforms.outbox.predicate", "isOutbox");
        c.put("transforms.outbox.route.topic.replacement", TOPIC_PREFIX + ".outbox.${routedByValue}");
        c.put("transforms.outbox.table.fields.additional.placement", "type:header:eventType");
        c.put("predicates", "isOutbox");
        c.put("predicates.isOutbox.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        c.put("predicates.isOutbox.pattern", "cdc\\.shop\\.outbox");
        // A change waits at most 100 ms in Debezium's queue (its default, 500 ms, would dominate the demo's latency);
        // after an outage of the database, reconnect every 2 s instead of every 10 s.
        c.put("poll.interval.ms", "100");
        c.put("retriable.restart.connector.wait.ms", "2000");
        return new ConnectorConfig(SOURCE_NAME, "postgres-cdc", 1, List.of(), c);
    }

    @Override
    public String name() {
        return "Shop database";
    }

    @Override
    public void preflight(StackContext context) {
        try {
            // A database left running by a killed up holds the port: it is ours, stop it rather than refuse.
            ShopDatabase.stopLeftoverServer(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        FreePorts.requireFree("localhost", port, "shop database (PostgreSQL)", "--postgres-port");
    }

    @Override
    public void start(StackContext context) {
        // The database sets the CDC user's password on every start, so the data directory's own one holds.
        shop = ShopSandbox.builder().port(port).dataDirectory(dataDirectory).seed(42)
                .cdcPassword(secrets.get(DemoSecrets.SHOP_CDC_PASSWORD))
                .trafficRate(rowChangesPerSecond).startTraffic(true).build().start();
        context.publish(StackContext.SHOP_DATABASE, shop.database().clientUrl());
    }

    @Override
    public void stop() {
        if (shop != null) {
            shop.close();
        }
    }

    @Override
    public String address() {
        return shop == null ? "" : shop.database().clientUrl();
    }

    @Override
    public Health health() {
        if (shop == null || !shop.database().isRunning()) {
            return Health.down("not running");
        }
        return Health.up("PostgreSQL, " + shop.traffic().rowChanges() + " row changes written");
    }
}

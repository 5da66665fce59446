package io.syncline.sandbox.shop;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.syncline.sandbox.core.ActivityScheduler;
import io.syncline.sandbox.core.Seeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Realistic traffic for the shop database: customers register and change their details, place orders that get paid,
 * shipped or cancelled, and now and then a customer is erased with their orders. Each business operation is one
 * transaction that also writes its domain events to the outbox table (inserted and deleted again, Debezium's outbox
 * pattern). An event carries its whole aggregate as the row stands after the change (before it, for an erasure), so a
 * consumer needs no earlier event to know the customer or the order: the payload is the row as {@code to_jsonb} writes
 * it, the same members the table's change events carry. Erasing a customer publishes an {@code OrderErased} per
 * order it deletes, then {@code CustomerErased}. The rate counts row changes per second, outbox rows included.
 *
 * <p>Deterministic for a seed given the same starting database. Runs in the background ({@link #start()}) or step by
 * step ({@link #runSteps(int)}); a {@link CommitListener} learns every committed row change and its commit time (the
 * benchmark measures commit → Kafka latency with it). When the database is down, steps fail quietly (one warning per
 * outage) and the generator resumes once it answers again.
 */
public final class ShopTraffic implements AutoCloseable {

    /** The business operations, each one transaction. */
    public enum Operation {
        CUSTOMER_REGISTERED, CUSTOMER_UPDATED, CUSTOMER_ERASED, ORDER_PLACED, ORDER_PAID, ORDER_SHIPPED, ORDER_CANCELLED
    }

    /** One committed row change: {@code op} is {@code c} (insert), {@code u} (update) or {@code d} (delete). */
    public record RowChange(String table, String id, int version, char op) {
    }

    /** Learns each committed transaction's row changes, on the generator's thread, right after the commit returned. */
    @FunctionalInterface
    public interface CommitListener {
        void committed(Operation operation, List<RowChange> changes, long commitEpochMillis);
    }

    /** Opens a connection to the shop database as its application user. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private static final Logger log = LoggerFactory.getLogger(ShopTraffic.class);
    private static final String[] FIRST = {"Ada", "Grace", "Linus", "Margaret", "Alan", "Barbara", "Edsger", "Frances",
        "Ken", "Radia", "Tim", "Hedy", "Dennis", "Katherine", "John", "Sophie", "Jean", "Yukihiro", "Anita", "Bjarne"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Torvalds", "Hamilton", "Turing", "Liskov", "Dijkstra",
        "Allen", "Thompson", "Perlman", "Berners-Lee", "Lamarr", "Ritchie", "Johnson", "McCarthy", "Wilson", "Sammet",
        "Matsumoto", "Borg", "Stroustrup"};
    private static final String[][] COUNTRY_CURRENCY = {{"DE", "EUR"}, {"FR", "EUR"}, {"NL", "EUR"}, {"US", "USD"},
        {"GB", "GBP"}, {"CH", "CHF"}, {"JP", "JPY"}, {"SE", "SEK"}};

    private final ConnectionSource connections;
    private final Random random;
    private final CommitListener listener;
    private final ActivityScheduler scheduler;
    private final Map<Operation, Long> counts = new EnumMap<>(Operation.class);
    private Connection connection;
    private List<Long> customers;
    private List<Long> pendingOrders;
    private List<Long> paidOrders;
    private long rowChanges;
    private boolean down;

    private ShopTraffic(Builder b) {
        this.connections = b.connections;
        this.random = new Random(Seeds.derive(b.seed, "shop-traffic"));
        this.listener = b.listener;
        this.scheduler = new ActivityScheduler("shop", this::step, b.rate);
    }

    /** Traffic against {@code db} as its application user. */
    public static Builder builder(ShopDatabase db) {
        return new Builder(db::connect);
    }

    /** Traffic against any database that holds the shop schema (e.g. a PostgreSQL container in tests). */
    public static Builder builder(ConnectionSource connections) {
        return new Builder(connections);
    }

    /** Starts generating in the background at the configured rate; does nothing when already running. */
    public ShopTraffic start() {
        scheduler.start();
        return this;
    }

    /** Stops background generation; an operation in progress completes. */
    public ShopTraffic stop() {
        scheduler.stop();
        return this;
    }

    /** Sets the rate in row changes per second; takes effect from the next operation. */
    public void rate(double rowChangesPerSecond) {
        scheduler.rate(rowChangesPerSecond);
    }

    /** Runs {@code n} operations now on the calling thread; returns the row changes they committed. */
    public int runSteps(int n) {
        return scheduler.runSteps(n);
    }

    /** Row changes committed so far. */
    public synchronized long rowChanges() {
        return rowChanges;
    }

    /** Operations committed so far, by kind. */
    public synchronized Map<Operation, Long> operations() {
        return Map.copyOf(counts);
    }

    @Override
    public void close() {
        scheduler.close();
        synchronized (this) {
            closeConnection();
        }
    }

    // ------------------------------------------------------------------ one operation

    private synchronized int step() {
        try {
            if (connection == null) {
                connection = connections.open();
                connection.setAutoCommit(false);
                loadState();
            }
            Operation op = pick();
            List<RowChange> changes = new ArrayList<>();
            Runnable onCommit = run(op, changes);
            connection.commit();
            long committedAt = System.currentTimeMillis();
            onCommit.run();
            counts.merge(op, 1L, Long::sum);
            rowChanges += changes.size();
            if (down) {
                down = false;
                log.info("the shop database answers again; traffic resumes");
            }
            if (listener != null) {
                listener.committed(op, List.copyOf(changes), committedAt);
            }
            return changes.size();
        } catch (SQLException e) {
            if (!down) {
                down = true;
                log.warn("shop traffic paused: the database does not accept writes ({}); retrying with every step",
                        e.getMessage());
            } else {
                log.debug("shop traffic: database still unavailable: {}", e.getMessage());
            }
            closeConnection();
            return 1; // paces retries like one change
        }
    }

    private void loadState() throws SQLException {
        customers = ids("SELECT id FROM customers ORDER BY id");
        pendingOrders = ids("SELECT id FROM orders WHERE status = 'pending' ORDER BY id");
        paidOrders = ids("SELECT id FROM orders WHERE status = 'paid' ORDER BY id");
        connection.commit();
    }

    private List<Long> ids(String sql) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement p = connection.prepareStatement(sql); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private Operation pick() {
        if (customers.size() < 3) {
            return Operation.CUSTOMER_REGISTERED;
        }
        int r = random.nextInt(100);
        Operation op = r < 20 ? Operation.CUSTOMER_REGISTERED
                : r < 35 ? Operation.CUSTOMER_UPDATED
                : r < 65 ? Operation.ORDER_PLACED
                : r < 80 ? Operation.ORDER_PAID
                : r < 90 ? Operation.ORDER_SHIPPED
                : r < 97 ? Operation.ORDER_CANCELLED
                : Operation.CUSTOMER_ERASED;
        if ((op == Operation.ORDER_PAID || op == Operation.ORDER_CANCELLED) && pendingOrders.isEmpty()
                || op == Operation.ORDER_SHIPPED && paidOrders.isEmpty()) {
            return Operation.ORDER_PLACED;
        }
        return op;
    }

    /** Writes {@code op} in the open transaction; returns what to do to the in-memory state once it committed. */
    private Runnable run(Operation op, List<RowChange> changes) throws SQLException {
        return switch (op) {
            case CUSTOMER_REGISTERED -> {
                String first = FIRST[random.nextInt(FIRST.length)];
                String last = LAST[random.nextInt(LAST.length)];
                String country = COUNTRY_CURRENCY[random.nextInt(COUNTRY_CURRENCY.length)][0];
                // The id first, as an ORM would, so the e-mail can carry it and stay unique.
                long id = queryLong("SELECT nextval('customers_id_seq')");
                String email = email(first, last, id, 1);
                queryLong("INSERT INTO customers (id, email, name, country) VALUES (?, ?, ?, ?) RETURNING id",
                        id, email, first + " " + last, country);
                changes.add(new RowChange("customers", Long.toString(id), 1, 'c'));
                outbox("customer", id, "CustomerRegistered", changes);
                yield () -> customers.add(id);
            }
            case CUSTOMER_UPDATED -> {
                long id = customers.get(random.nextInt(customers.size()));
                String first = FIRST[random.nextInt(FIRST.length)];
                String last = LAST[random.nextInt(LAST.length)];
                // One statement, so one row change: the new e-mail names the version the trigger is about to set.
                int version = updateReturningVersion("UPDATE customers SET name = ?, email = ? || id || '.' || "
                        + "(version + 1) || '@example.com' WHERE id = ? RETURNING version", first + " " + last,
                        localPart(first, last) + "+", id);
                changes.add(new RowChange("customers", Long.toString(id), version, 'u'));
                outbox("customer", id, "CustomerUpdated", changes);
                yield () -> { };
            }
            case CUSTOMER_ERASED -> {
                long id = customers.get(random.nextInt(customers.size()));
                // The orders explicitly first (the foreign key would cascade), so every deleted row is reported and
                // each order's consumers learn it is gone. Each event is written before its row is deleted: it
                // carries the aggregate as it was.
                List<Long> erasedOrders = ids("SELECT id FROM orders WHERE customer_id = " + id + " ORDER BY id");
                for (long order : erasedOrders) {
                    outbox("order", order, "OrderErased", changes);
                    int orderVersion = updateReturningVersion("DELETE FROM orders WHERE id = ? RETURNING version",
                            order);
                    changes.add(new RowChange("orders", Long.toString(order), orderVersion, 'd'));
                }
                outbox("customer", id, "CustomerErased", changes);
                int version = updateReturningVersion("DELETE FROM customers WHERE id = ? RETURNING version", id);
                changes.add(new RowChange("customers", Long.toString(id), version, 'd'));
                yield () -> {
                    customers.remove(Long.valueOf(id));
                    pendingOrders.removeAll(erasedOrders);
                    paidOrders.removeAll(erasedOrders);
                };
            }
            case ORDER_PLACED -> {
                long customer = customers.get(random.nextInt(customers.size()));
                String currency = COUNTRY_CURRENCY[random.nextInt(COUNTRY_CURRENCY.length)][1];
                long amount = 500 + random.nextInt(50_000);
                long id = queryLong("INSERT INTO orders (customer_id, status, amount_minor, currency) "
                        + "VALUES (?, 'pending', ?, ?) RETURNING id", customer, amount, currency);
                changes.add(new RowChange("orders", Long.toString(id), 1, 'c'));
                outbox("order", id, "OrderPlaced", changes);
                yield () -> pendingOrders.add(id);
            }
            case ORDER_PAID, ORDER_CANCELLED -> {
                long id = pendingOrders.get(random.nextInt(pendingOrders.size()));
                String status = op == Operation.ORDER_PAID ? "paid" : "cancelled";
                int version = updateReturningVersion("UPDATE orders SET status = ? WHERE id = ? RETURNING version",
                        status, id);
                changes.add(new RowChange("orders", Long.toString(id), version, 'u'));
                outbox("order", id, op == Operation.ORDER_PAID ? "OrderPaid" : "OrderCancelled", changes);
                yield () -> {
                    pendingOrders.remove(Long.valueOf(id));
                    if (op == Operation.ORDER_PAID) {
                        paidOrders.add(id);
                    }
                };
            }
            case ORDER_SHIPPED -> {
                long id = paidOrders.get(random.nextInt(paidOrders.size()));
                int version = updateReturningVersion("UPDATE orders SET status = 'shipped' WHERE id = ? "
                        + "RETURNING version", id);
                changes.add(new RowChange("orders", Long.toString(id), version, 'u'));
                outbox("order", id, "OrderShipped", changes);
                yield () -> paidOrders.remove(Long.valueOf(id));
            }
        };
    }

    /** Unique because (id, version) is: {@code ada.lovelace+17.3@example.com}. */
    private static String email(String first, String last, long id, int version) {
        return localPart(first, last) + "+" + id + (version == 1 ? "" : "." + version) + "@example.com";
    }

    private static String localPart(String first, String last) {
        return (first + "." + last).toLowerCase(Locale.ROOT).replace("-", "");
    }

    /**
     * The domain event, inserted and deleted in the same transaction: the log keeps it, the table stays empty. Its
     * payload is the aggregate's whole row as it stands now in this transaction ({@code to_jsonb}), read by the
     * database itself so it cannot differ from what the table capture sees: the outbox pattern's whole-aggregate
     * event, which a consumer can apply without the events before it.
     */
    private void outbox(String aggregateType, long aggregateId, String type, List<RowChange> changes)
            throws SQLException {
        UUID id = new UUID(random.nextLong() & 0xffffffffffff0fffL | 0x0000000000004000L,
                random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L);
        // The table's name comes from this class (customer → customers, order → orders), never from input.
        try (PreparedStatement p = connection.prepareStatement("INSERT INTO outbox (id, aggregatetype, aggregateid, "
                + "type, payload) SELECT ?, ?, ?, ?, to_jsonb(a) FROM " + aggregateType + "s a WHERE a.id = ?")) {
            p.setObject(1, id);
            p.setString(2, aggregateType);
            p.setString(3, Long.toString(aggregateId));
            p.setString(4, type);
            p.setLong(5, aggregateId);
            if (p.executeUpdate() != 1) {
                throw new SQLException("the " + aggregateType + " " + aggregateId + " of event " + type
                        + " is gone (someone else deleted it)");
            }
        }
        try (PreparedStatement p = connection.prepareStatement("DELETE FROM outbox WHERE id = ?")) {
            p.setObject(1, id);
            p.executeUpdate();
        }
        changes.add(new RowChange("outbox", id.toString(), 1, 'c'));
        changes.add(new RowChange("outbox", id.toString(), 1, 'd'));
    }

    private long queryLong(String sql, Object... args) throws SQLException {
        try (PreparedStatement p = prepare(sql, args); ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private int updateReturningVersion(String sql, Object... args) throws SQLException {
        try (PreparedStatement p = prepare(sql, args); ResultSet rs = p.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the row changed by \"" + sql + "\" is gone (someone else deleted it)");
            }
            return rs.getInt(1);
        }
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement p = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            p.setObject(i + 1, args[i]);
        }
        return p;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing the shop traffic connection: {}", e.getMessage());
            }
            connection = null;
        }
    }

    /** Settings for {@link ShopTraffic}. */
    public static final class Builder {
        private final ConnectionSource connections;
        private long seed = 42;
        private double rate = 2;
        private CommitListener listener;

        private Builder(ConnectionSource connections) {
            this.connections = connections;
        }

        /** Seed of every random choice; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Row changes per second in the background (outbox rows included); default 2. */
        public Builder rate(double rowChangesPerSecond) {
            this.rate = rowChangesPerSecond;
            return this;
        }

        /** Told about every committed transaction (the benchmark's clock); default none. */
        public Builder listener(CommitListener listener) {
            this.listener = listener;
            return this;
        }

        public ShopTraffic build() {
            return new ShopTraffic(this);
        }
    }
}

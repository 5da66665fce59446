package io.syncline.sandbox.shop;

import java.nio.file.Path;

/**
 * The shop application as a whole: its {@link ShopDatabase} and the {@link ShopTraffic} that writes to it, started and
 * stopped together (what {@code syncline up --demo} and {@code sandbox shop} run).
 */
public final class ShopSandbox implements AutoCloseable {

    private final ShopDatabase database;
    private final ShopTraffic traffic;
    private final boolean startTraffic;

    private ShopSandbox(Builder b) {
        this.database = b.database.build();
        this.traffic = ShopTraffic.builder(database).seed(b.seed).rate(b.rate).build();
        this.startTraffic = b.startTraffic;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the database, then (when asked) the traffic; returns this. */
    public ShopSandbox start() {
        database.start();
        if (startTraffic) {
            traffic.start();
        }
        return this;
    }

    public ShopDatabase database() {
        return database;
    }

    public ShopTraffic traffic() {
        return traffic;
    }

    /** Stops the traffic, then the database (a given data directory keeps its data). */
    @Override
    public void close() {
        try {
            traffic.close();
        } finally {
            database.close();
        }
    }

    /** Settings for a {@link ShopSandbox}. */
    public static final class Builder {
        private final ShopDatabase.Builder database = ShopDatabase.builder();
        private long seed = 42;
        private double rate = 2;
        private boolean startTraffic;

        private Builder() {
        }

        /** The database's port; default {@value ShopDatabase#DEFAULT_PORT}; 0 picks a free one. */
        public Builder port(int port) {
            database.port(port);
            return this;
        }

        /** Where the database keeps its data across restarts; default a temporary directory. */
        public Builder dataDirectory(Path dir) {
            database.dataDirectory(dir);
            return this;
        }

        /** The password of the CDC user {@value ShopDatabase#CDC_USER}. */
        public Builder cdcPassword(String password) {
            database.cdcPassword(password);
            return this;
        }

        /** Seed of the traffic; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Row changes per second of the traffic; default 2. */
        public Builder trafficRate(double rowChangesPerSecond) {
            this.rate = rowChangesPerSecond;
            return this;
        }

        /** Whether {@link #start()} starts the traffic too; default false (tests drive it). */
        public Builder startTraffic(boolean start) {
            this.startTraffic = start;
            return this;
        }

        public ShopSandbox build() {
            return new ShopSandbox(this);
        }
    }
}

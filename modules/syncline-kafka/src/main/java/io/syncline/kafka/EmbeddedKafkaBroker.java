package io.syncline.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, one process acting as broker and controller) with its log on disk.
 *
 * <p>Used by {@code syncline up} and by integration tests. Data survives {@link #close()} and a later
 * {@link #start()} on the same data directory: the storage is formatted only once.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String CLUSTER_ID_FILE = "cluster.id";

    private final Path dataDir;
    private final String host;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Builder builder) {
        this.dataDir = builder.dataDir.toAbsolutePath();
        this.host = builder.host;
        this.port = builder.port == 0 ? FreePorts.pick() : builder.port;
        this.controllerPort = builder.controllerPort == 0 ? FreePorts.pick() : builder.controllerPort;
        this.overrides = Map.copyOf(builder.overrides);
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** Formats the storage on first use, starts the broker and waits until it answers a metadata request. */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        FreePorts.requireFree(host, port, "Kafka broker", "--kafka-port");
        FreePorts.requireFree(host, controllerPort, "Kafka controller", "--kafka-controller-port");
        try {
            Files.createDirectories(dataDir);
            Properties props = serverProperties();
            formatIfNeeded(props);
            KafkaRaftServer raftServer = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            raftServer.startup();
            server = raftServer;
            awaitReady(Duration.ofSeconds(60));
            log.debug("Kafka broker ready at {} (data in {})", bootstrapServers(), dataDir);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("starting the embedded Kafka broker in " + dataDir, e);
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("starting the embedded Kafka broker on " + bootstrapServers()
                    + " (data in " + dataDir + "): " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Stops the broker and waits for its threads; the data directory is kept. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        KafkaRaftServer s = server;
        server = null;
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Kafka broker did not shut down cleanly: {}", e.toString());
        }
    }

    private Properties serverProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        p.put("metadata.log.dir", dataDir.resolve("metadata").toString());
        // One node: every internal topic has one replica and needs only one in sync.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "12");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "12");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Consumer-group rebalances in tests should not wait for the default session timeouts.
        p.put("group.consumer.min.session.timeout.ms", "6000");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        p.put("auto.create.topics.enable", "true");
        p.put("delete.topic.enable", "true");
        p.putAll(overrides);
        return p;
    }

    private void formatIfNeeded(Properties props) throws IOException {
        Path metaProperties = dataDir.resolve("metadata").resolve("meta.properties");
        if (Files.exists(metaProperties)) {
            return;
        }
        Path clusterIdFile = dataDir.resolve(CLUSTER_ID_FILE);
        String clusterId = Files.exists(clusterIdFile)
                ? Files.readString(clusterIdFile).trim()
                : Uuid.randomUuid().toString();
        Files.writeString(clusterIdFile, clusterId);
        Path configFile = dataDir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(configFile)) {
            props.store(out, "written by Syncline for the embedded broker; regenerated at each start");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {
                "format", "-t", clusterId, "-c", configFile.toString(), "--standalone", "--ignore-formatted"}, ps);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting Kafka storage in " + dataDir + " failed: "
                    + output.toString(StandardCharsets.UTF_8).trim());
        }
    }

    private void awaitReady(Duration timeout) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("broker did not become ready within " + timeout, e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                }
            }
        }
    }

    /** Settings for an {@link EmbeddedKafkaBroker}; port 0 picks a free port once, kept across restarts. */
    public static final class Builder {
        private final Path dataDir;
        private String host = "localhost";
        private int port = 0;
        private int controllerPort = 0;
        private final Map<String, String> overrides = new java.util.LinkedHashMap<>();

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder controllerPort(int controllerPort) {
            this.controllerPort = controllerPort;
            return this;
        }

        /** A broker setting, e.g. {@code log.retention.hours}; wins over Syncline's defaults. */
        public Builder config(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }
    }
}

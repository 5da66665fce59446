package io.syncline.kafka;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect worker in distributed mode, running in this JVM against any Kafka cluster (usually the
 * {@link EmbeddedKafkaBroker}).
 *
 * <p>It is the same worker {@code connect-distributed.sh} runs: connectors, their configs, offsets and status live
 * in the Kafka topics {@code syncline.connect.configs|offsets|status}, so they survive a restart of the worker and of
 * the broker on the same data directory. Plugins load from {@code plugin.path} directories exactly as in a standalone
 * deployment, discovered through their {@code META-INF/services} manifests ({@code plugin.discovery=service_load}).
 * See {@link #defaultWorkerConfig} for every setting and why it is chosen.
 *
 * <p>Unlike {@code connect-distributed.sh}, the worker registers no JVM shutdown hook: its owner stops it with
 * {@link #close()} (before the broker it uses), typically from the owner's own hook.
 */
public final class EmbeddedConnectWorker implements AutoCloseable {

    /** Worker group and topic prefix; a second worker with the same values joins the same Connect cluster. */
    public static final String DEFAULT_GROUP_ID = "syncline-connect";
    public static final String CONFIG_TOPIC = "syncline.connect.configs";
    public static final String OFFSET_TOPIC = "syncline.connect.offsets";
    public static final String STATUS_TOPIC = "syncline.connect.status";
    public static final int DEFAULT_PORT = 8083;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedConnectWorker.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** The name Connect gives its JVM shutdown hook (org.apache.kafka.connect.runtime.Connect). */
    private static final String CONNECT_SHUTDOWN_HOOK = "connect-shutdown-hook";
    private static final Object HOOK_LOCK = new Object();

    private final String bootstrapServers;
    private final String host;
    private final int port;
    private final List<Path> pluginPath;
    private final Map<String, String> overrides;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Connect<?> connect;

    private EmbeddedConnectWorker(Builder builder) {
        this.bootstrapServers = builder.bootstrapServers;
        this.host = builder.host;
        this.port = builder.port == 0 ? FreePorts.pick() : builder.port;
        this.pluginPath = List.copyOf(builder.pluginPath);
        this.overrides = Map.copyOf(builder.overrides);
    }

    /** A worker that stores its state in the Kafka cluster at {@code bootstrapServers}. */
    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /**
     * Syncline's worker settings before overrides; every value here is documented in docs/running.md.
     *
     * @param bootstrapServers the Kafka cluster that holds the worker's topics
     * @param restUrl the REST listener, e.g. {@code http://localhost:8083}
     * @param pluginPath directories that hold one sub-directory (or jar) per connector plugin
     */
    public static Map<String, String> defaultWorkerConfig(String bootstrapServers, String restUrl, List<Path> pluginPath) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("group.id", DEFAULT_GROUP_ID);
        p.put("listeners", restUrl);
        p.put("rest.advertised.listener", "http");
        // The worker creates its own topics; one replica because the embedded broker is one node.
        p.put("config.storage.topic", CONFIG_TOPIC);
        p.put("offset.storage.topic", OFFSET_TOPIC);
        p.put("status.storage.topic", STATUS_TOPIC);
        p.put("config.storage.replication.factor", "1");
        p.put("offset.storage.replication.factor", "1");
        p.put("status.storage.replication.factor", "1");
        p.put("offset.storage.partitions", "5");
        p.put("status.storage.partitions", "1");
        // Plugins come from archives on plugin.path, found through their ServiceLoader manifests: the classpath
        // scan takes seconds and over a gigabyte of heap (see STACK.md).
        if (!pluginPath.isEmpty()) {
            p.put("plugin.path", pluginPath.stream().map(d -> d.toAbsolutePath().toString())
                    .collect(Collectors.joining(",")));
        }
        p.put("plugin.discovery", "service_load");
        // Connector configs reference secrets as ${env:NAME} or ${file:/path:key}; the worker resolves them when it
        // starts a connector, and the REST API and the config topic keep only the reference.
        p.put("config.providers", "env,file");
        p.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        p.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        // KIP-618: source connectors that support it write records and offsets in one transaction.
        p.put("exactly.once.source.support", "enabled");
        // Keys are ids (text); values are JSON without the schema envelope, readable by any client. Connectors
        // that write Avro set their own value.converter.
        p.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.converter.schemas.enable", "false");
        p.put("header.converter", "org.apache.kafka.connect.storage.SimpleHeaderConverter");
        // Sink tasks read only committed records: the canonical topics are written in transactions (the normalizer's
        // exactly-once, KIP-618 sources), and a record of an aborted transaction must never reach a target.
        p.put("consumer.isolation.level", "read_committed");
        // A sink's fetch waits at most 100 ms for new committed records instead of 500: measured on the end-to-end
        // benchmark (docs/benchmarks.md), p99 at 500 events/s went from 302-542 ms to 404-425 ms.
        p.put("consumer.fetch.max.wait.ms", "100");
        // One worker: there is nobody to wait for. A departed worker's tasks are reassigned at once instead of
        // after five minutes, and offsets are committed every 5 s instead of every minute.
        p.put("scheduled.rebalance.max.delay.ms", "0");
        p.put("offset.flush.interval.ms", "5000");
        p.put("task.shutdown.graceful.timeout.ms", "3000");
        return p;
    }

    /**
     * The same settings for a stock Connect worker deployed on its own ({@code deploy/connect}; docker-compose runs
     * {@code syncline connect-worker} instead): Kafka from the environment variable {@code CONNECT_BOOTSTRAP_SERVERS}
     * (resolved by the worker's env config provider), REST on all interfaces, plugins in {@code /opt/syncline/plugins},
     * the cluster's default replication factor for the worker's topics, and Connect's defaults where the embedded worker
     * is tuned for being alone.
     */
    public static Map<String, String> deploymentWorkerConfig() {
        // No host in the listener: bind all interfaces and advertise the machine's host name to the other workers.
        Map<String, String> p = defaultWorkerConfig("${env:CONNECT_BOOTSTRAP_SERVERS}", "http://:8083",
                List.of(Path.of("/opt/syncline/plugins")));
        p.put("config.storage.replication.factor", "-1");
        p.put("offset.storage.replication.factor", "-1");
        p.put("status.storage.replication.factor", "-1");
        // Several workers: Connect's defaults suit them (25/5 partitions; a restarting worker gets 5 minutes to come
        // back before its tasks move).
        p.remove("offset.storage.partitions");
        p.remove("status.storage.partitions");
        p.remove("scheduled.rebalance.max.delay.ms");
        return p;
    }

    /** {@link #deploymentWorkerConfig()} as the text of {@code deploy/connect/connect-distributed.properties}. */
    public static String deploymentProperties() {
        StringBuilder text = new StringBuilder()
                .append("# A stock Kafka Connect worker (connect-distributed.sh) with the settings of Syncline's embedded worker\n")
                .append("# (io.syncline.kafka.EmbeddedConnectWorker#deploymentWorkerConfig). Generated: edit the Java code,\n")
                .append("# then ./mvnw -pl modules/syncline-cli test -Dtest=ConnectDeploymentFileTest -Dsyncline.docs.write=true\n")
                .append("# Set CONNECT_BOOTSTRAP_SERVERS in the worker's environment. The worker's topics get the cluster's\n")
                .append("# default.replication.factor (-1); partitions and rebalance delay are Connect's defaults.\n");
        deploymentWorkerConfig().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString();
    }

    /** Starts the worker and waits until its REST API answers and the herder has joined the group and read its topics. */
    public synchronized EmbeddedConnectWorker start() {
        if (connect != null) {
            return this;
        }
        FreePorts.requireFree(host, port, "Kafka Connect REST API", "--connect-port");
        for (Path dir : pluginPath) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("Connect plugin directory " + dir.toAbsolutePath()
                        + " does not exist; create it or remove it from the plugin path");
            }
        }
        Map<String, String> props = workerConfig();
        try {
            connect = startWithoutConnectsShutdownHook(props);
            awaitReady(START_TIMEOUT);
            log.debug("Kafka Connect worker ready at {} (Kafka {})", url(), bootstrapServers);
            return this;
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("starting the Kafka Connect worker at " + url() + " against Kafka "
                    + bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts Connect without the JVM shutdown hook {@code Connect.start()} registers. That hook would stop the worker
     * concurrently with the owner's own shutdown, and a second {@code Connect.stop()} returns at once without waiting,
     * so the owner could stop the broker under a worker that is still stopping. The owner calls {@link #close()}.
     * Both Kafka hooks are process-wide, hence the lock and the reset right after the start.
     */
    private static Connect<?> startWithoutConnectsShutdownHook(Map<String, String> props) {
        synchronized (HOOK_LOCK) {
            Exit.setShutdownHookAdder((name, hook) -> {
                if (!CONNECT_SHUTDOWN_HOOK.equals(name)) {
                    Runtime.getRuntime().addShutdownHook(name == null ? new Thread(hook) : new Thread(hook, name));
                }
            });
            // startConnect() ends the JVM (Exit.exit(3)) when Connect fails to start; in process, fail the start instead.
            Exit.setExitProcedure((code, message) -> {
                throw new IllegalStateException("Kafka Connect failed to start (it asked to exit with code " + code
                        + "); see the worker log");
            });
            try {
                return new ConnectDistributed().startConnect(props);
            } finally {
                Exit.resetExitProcedure();
                Exit.resetShutdownHookAdder();
            }
        }
    }

    /** The full worker configuration this worker starts with: Syncline's defaults, then the builder's overrides. */
    public Map<String, String> workerConfig() {
        Map<String, String> props = defaultWorkerConfig(bootstrapServers, url(), pluginPath);
        props.putAll(overrides);
        return props;
    }

    /** The REST API, e.g. {@code http://localhost:8083}. */
    public String url() {
        return "http://" + host + ":" + port;
    }

    public int port() {
        return port;
    }

    public synchronized boolean isRunning() {
        return connect != null;
    }

    /** Stops connectors and tasks (committing their offsets), leaves the group and waits until the worker has stopped. */
    @Override
    public synchronized void close() {
        if (connect == null) {
            return;
        }
        Connect<?> c = connect;
        connect = null;
        // No other caller stops this Connect (see startWithoutConnectsShutdownHook), so when stop() returns the worker
        // has stopped and the broker can go next.
        c.stop();
        c.awaitStop();
    }

    private void awaitReady(Duration timeout) {
        // GET /health answers 200 once the herder has joined the group and caught up with the config topic (KIP-1017).
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/health")).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (connect.herderTask() != null && connect.herderTask().isDone()) {
                throw new IllegalStateException("the Connect herder stopped while starting; see the worker log");
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Connect worker", e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new IllegalStateException("the Connect worker did not become ready within " + timeout + " (last health check: "
                + last + ")");
    }

    /** Settings for an {@link EmbeddedConnectWorker}; port 0 picks a free port once, kept across restarts. */
    public static final class Builder {
        private final String bootstrapServers;
        private String host = "localhost";
        private int port = DEFAULT_PORT;
        private final List<Path> pluginPath = new ArrayList<>();
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The REST port; 0 picks a free one. Default 8083. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Adds a plugin directory: each sub-directory (or jar) in it is one isolated connector plugin. */
        public Builder pluginDirectory(Path dir) {
            pluginPath.add(dir);
            return this;
        }

        /** Adds plugin directories; see {@link #pluginDirectory}. */
        public Builder pluginPath(List<Path> dirs) {
            pluginPath.addAll(dirs);
            return this;
        }

        /** A worker setting, e.g. {@code value.converter}; wins over Syncline's defaults. */
        public Builder config(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public EmbeddedConnectWorker build() {
            return new EmbeddedConnectWorker(this);
        }
    }
}

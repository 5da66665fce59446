package io.syncline.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.syncline.kafka.ConnectRestClient;
import io.syncline.normalizer.dlq.DeadLetterQueue;
import io.syncline.ops.Health;
import io.syncline.ops.Probes;
import io.syncline.ops.Registry;
import io.syncline.registry.client.HttpSchemaRegistryClient;
import org.apache.kafka.clients.admin.Admin;

/**
 * The console's connections to the cluster it shows, opened once and shared by every page and the sampler (a new
 * Kafka admin client per request would cost more than the request), with health checks that say what is wrong and
 * what to do.
 */
final class Cluster implements AutoCloseable {

    private static final Duration HEALTH_TTL = Duration.ofSeconds(3);
    private static final Duration CONFIG_TTL = Duration.ofSeconds(30);

    private final ConsoleSettings settings;
    private final ConnectRestClient connect;
    private final HttpSchemaRegistryClient registry;
    private volatile Admin admin;
    private volatile Status status;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Map<String, Cached<Map<String, String>>> connectorConfigs = new ConcurrentHashMap<>();

    private record Cached<T>(T value, long at) {
    }

    /**
     * Whether each service answers, and what to tell the user when one does not.
     *
     * @param kafka Kafka's health
     * @param registry the registry's
     * @param connect Connect's
     * @param at when it was checked
     */
    record Status(Health kafka, Health registry, Health connect, long at) {

        /** A sentence per service that does not answer, each saying what to do. */
        List<String> problems(ConsoleSettings s) {
            List<String> out = new ArrayList<>();
            if (!kafka.up()) {
                out.add("Kafka at " + s.bootstrapServers() + " does not answer (" + kafka.detail() + "). Start the "
                        + "stack with ./syncline up, or run syncline console --bootstrap-servers HOST:PORT.");
            }
            if (!registry.up()) {
                out.add("The schema registry at " + s.registryUrl() + " does not answer (" + registry.detail()
                        + "). Schemas and Avro decoding need it: run syncline console --registry-url URL.");
            }
            if (!connect.up()) {
                out.add("Kafka Connect at " + s.connectUrl() + " does not answer (" + connect.detail() + "). "
                        + "Connectors need it: run syncline console --connect-url URL.");
            }
            return out;
        }
    }

    Cluster(ConsoleSettings settings) {
        this.settings = settings;
        this.connect = new ConnectRestClient(settings.connectUrl(), Duration.ofSeconds(10));
        this.registry = Registry.client(settings.registryUrl());
    }

    ConsoleSettings settings() {
        return settings;
    }

    ConnectRestClient connect() {
        return connect;
    }

    HttpSchemaRegistryClient registry() {
        return registry;
    }

    /** Client settings for consumers and producers the pages open (a tail, a dead-letter read). */
    Map<String, Object> clientConfig() {
        return Probes.adminConfig(settings.bootstrapServers());
    }

    /** The shared admin client, created on first use. */
    Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(Probes.adminConfig(settings.bootstrapServers()));
                }
                a = admin;
            }
        }
        return a;
    }

    /** A dead-letter topic, read and replayed as {@code syncline dlq} does. */
    DeadLetterQueue deadLetters(String topic) {
        return new DeadLetterQueue(Map.of("bootstrap.servers", settings.bootstrapServers()), topic);
    }

    /**
     * The health of each service, checked at most every few seconds however many pages ask. Only the first call
     * waits for the checks; later ones get the last result at once and refresh it in the background when it is
     * older than a few seconds, so a page never waits for a probe (a service that does not answer takes seconds to
     * say so).
     */
    Status status() {
        Status s = status;
        if (s == null) {
            synchronized (this) {
                if (status == null) {
                    status = check();
                }
                return status;
            }
        }
        if (System.currentTimeMillis() - s.at() >= HEALTH_TTL.toMillis() && refreshing.compareAndSet(false, true)) {
            CompletableFuture.runAsync(() -> {
                try {
                    status = check();
                } finally {
                    refreshing.set(false);
                }
            });
        }
        return s;
    }

    private Status check() {
        // In parallel: with everything down, each check waits for its timeout, and the page waits for all.
        CompletableFuture<Health> kafka = CompletableFuture.supplyAsync(this::kafkaHealth);
        CompletableFuture<Health> reg = CompletableFuture.supplyAsync(this::registryHealth);
        Health con = Probes.connect(settings.connectUrl());
        return new Status(kafka.join(), reg.join(), con, System.currentTimeMillis());
    }

    /** A connector's stored config, cached briefly (the sampler asks for each sink's dead-letter topic). */
    Map<String, String> connectorConfig(String connector) {
        Cached<Map<String, String>> c = connectorConfigs.get(connector);
        if (c != null && System.currentTimeMillis() - c.at() < CONFIG_TTL.toMillis()) {
            return c.value();
        }
        Map<String, String> config = connect.connectorConfig(connector);
        connectorConfigs.put(connector, new Cached<>(config, System.currentTimeMillis()));
        return config;
    }

    private Health kafkaHealth() {
        try {
            int brokers = admin().describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
            return Health.up(brokers == 1 ? "1 broker" : brokers + " brokers");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Health.down("no answer within 5 s");
        }
    }

    private Health registryHealth() {
        try {
            int subjects = registry.getAllSubjects().size();
            return Health.up(subjects == 1 ? "1 subject" : subjects + " subjects");
        } catch (RuntimeException e) {
            return Health.down(String.valueOf(e.getMessage()));
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        registry.close();
    }
}

package io.syncline.cli.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.syncline.ops.Probes;
import io.syncline.ops.Registry;
import io.syncline.ops.Health;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.registry.client.SchemaRegistryClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The cluster a plan is made for and applied to: any Kafka, Confluent-compatible registry and Kafka Connect REST API,
 * embedded or not. Reads what is there; the {@link Change}s write through it.
 */
public final class Cluster implements AutoCloseable {

    /** Kafka admin calls wait this long; a cluster that does not answer in time is reported, not waited for. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * Where the cluster is.
     *
     * @param source how the addresses were found (a flag, the running {@code up}, syncline.yaml), for messages
     */
    public record Address(String bootstrapServers, String registryUrl, String connectUrl, String source) {
        @Override
        public String toString() {
            return "Kafka " + bootstrapServers + ", registry " + registryUrl + ", Connect " + connectUrl;
        }
    }

    /** A topic as the cluster has it: partitions, replicas per partition, and every setting with its value. */
    public record TopicState(String name, int partitions, int replicationFactor, Map<String, String> config) {
    }

    private final Address address;
    private Admin admin;
    private SchemaRegistryClient registry;
    private final ConnectRestClient connect;

    public Cluster(Address address) {
        this.address = address;
        this.connect = new ConnectRestClient(address.connectUrl(), TIMEOUT);
    }

    public Address address() {
        return address;
    }

    /**
     * What does not answer, one message each naming the address, where it came from and what to do; empty when Kafka,
     * the registry and Connect all answer.
     */
    public List<String> unreachable() {
        List<String> down = new ArrayList<>();
        check(down, Probes.kafka(address.bootstrapServers()), "Kafka at " + address.bootstrapServers(),
                "--bootstrap-servers", "cluster.bootstrap-servers");
        check(down, Probes.registry(address.registryUrl()), "the schema registry at " + address.registryUrl(),
                "--registry-url", "cluster.registry-url");
        check(down, Probes.connect(address.connectUrl()), "Kafka Connect at " + address.connectUrl(),
                "--connect-url", "cluster.connect-url");
        return down;
    }

    private void check(List<String> down, Health health, String what, String flag, String key) {
        if (!health.up()) {
            down.add(what + " (from " + address.source() + ") does not answer: " + health.detail() + "; start it, or "
                    + "point " + flag + " (or " + key + " in syncline.yaml) at the cluster to plan for; nothing was "
                    + "changed");
        }
    }

    Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>(Probes.adminConfig(address.bootstrapServers()));
            config.put("request.timeout.ms", (int) TIMEOUT.toMillis());
            config.put("default.api.timeout.ms", (int) TIMEOUT.toMillis());
            admin = Admin.create(config);
        }
        return admin;
    }

    SchemaRegistryClient registry() {
        if (registry == null) {
            registry = Registry.client(address.registryUrl());
        }
        return registry;
    }

    ConnectRestClient connect() {
        return connect;
    }

    /** The topics among {@code names} that exist, with their partitions, replication and settings. */
    Map<String, TopicState> topics(Collection<String> names) {
        Set<String> existing = get(admin().listTopics().names(), "listing topics");
        List<String> found = names.stream().filter(existing::contains).toList();
        Map<String, TopicState> out = new LinkedHashMap<>();
        if (found.isEmpty()) {
            return out;
        }
        Map<String, TopicDescription> described = get(admin().describeTopics(found).allTopicNames(),
                "describing topics " + found);
        List<ConfigResource> resources = found.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        var configs = get(admin().describeConfigs(resources).all(), "reading the settings of topics " + found);
        for (String name : found) {
            TopicDescription d = described.get(name);
            Map<String, String> settings = new HashMap<>();
            configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name)).entries()
                    .forEach(e -> settings.put(e.name(), e.value()));
            int replicas = d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size();
            out.put(name, new TopicState(name, d.partitions().size(), replicas, settings));
        }
        return out;
    }

    /** Waits for a Kafka admin result; failures name what was being done and the cluster. */
    static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(what + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + ": no answer within " + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted", e);
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (registry != null) {
            try {
                registry.close();
            } catch (Exception e) {
                // Nothing is pending on a registry client; closing only releases its connections.
            }
        }
    }
}

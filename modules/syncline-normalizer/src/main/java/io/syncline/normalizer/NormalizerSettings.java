package io.syncline.normalizer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.syncline.config.IdentityConfig;
import io.syncline.config.NormalizerConfig;

/**
 * Everything a {@link Normalizer} needs to run, resolved: where Kafka and the registry are, where the mappings and
 * the local state live, and how the topics it creates look.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param registryUrl schema registry URL ({@code mock://scope} for an in-memory registry in tests)
 * @param mappingsDir directory of mapping files
 * @param applicationId Kafka Streams application id; instances with the same id share the partitions
 * @param stateDir local state of the stream tasks
 * @param partitions partitions of topics the normalizer creates (canonical, DLQ, and missing raw topics)
 * @param replicationFactor replication of those topics; null for the broker's default
 * @param dlqTopic the dead-letter topic
 * @param threads stream threads
 * @param metricsPort port of {@code /health} and {@code /metrics}; 0 for any free port; null for none
 * @param streams extra Kafka Streams (and client) settings
 * @param serde extra settings of the registry serde (e.g. basic auth)
 * @param customerActivity whether to derive {@code canonical.finance.customer-activity.v1} where the mappings write
 *     both customers and payments
 * @param identity identity resolution: on/off, plus-addressing and explicit links
 */
public record NormalizerSettings(String bootstrapServers, String registryUrl, Path mappingsDir, String applicationId,
        Path stateDir, int partitions, Short replicationFactor, String dlqTopic, int threads,
        Integer metricsPort, Map<String, String> streams, Map<String, String> serde, boolean customerActivity,
        IdentityConfig identity) {

    /** Settings with identity resolution's defaults (on, plus tags kept, no links). */
    public NormalizerSettings(String bootstrapServers, String registryUrl, Path mappingsDir, String applicationId,
            Path stateDir, int partitions, Short replicationFactor, String dlqTopic, int threads,
            Integer metricsPort, Map<String, String> streams, Map<String, String> serde, boolean customerActivity) {
        this(bootstrapServers, registryUrl, mappingsDir, applicationId, stateDir, partitions, replicationFactor,
                dlqTopic, threads, metricsPort, streams, serde, customerActivity, null);
    }

    /** Settings with the customer-activity join on (its default). */
    public NormalizerSettings(String bootstrapServers, String registryUrl, Path mappingsDir, String applicationId,
            Path stateDir, int partitions, Short replicationFactor, String dlqTopic, int threads,
            Integer metricsPort, Map<String, String> streams, Map<String, String> serde) {
        this(bootstrapServers, registryUrl, mappingsDir, applicationId, stateDir, partitions, replicationFactor,
                dlqTopic, threads, metricsPort, streams, serde, true);
    }

    public NormalizerSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(registryUrl, "registryUrl");
        Objects.requireNonNull(mappingsDir, "mappingsDir");
        Objects.requireNonNull(stateDir, "stateDir");
        streams = Map.copyOf(streams == null ? Map.of() : streams);
        serde = Map.copyOf(serde == null ? Map.of() : serde);
        identity = identity == null ? IdentityConfig.defaults() : identity;
    }

    /**
     * Settings from the {@code normalizer:} section of syncline.yaml.
     *
     * @param dataDir where the state goes when the section names no state-dir
     */
    public static NormalizerSettings from(NormalizerConfig config, String bootstrapServers, String registryUrl,
            Path baseDir, Path dataDir) {
        Path mappings = baseDir.resolve(config.mappings());
        Path state = config.stateDir().isEmpty() ? dataDir.resolve("normalizer") : baseDir.resolve(config.stateDir());
        return new NormalizerSettings(bootstrapServers, registryUrl, mappings, config.applicationId(), state,
                config.partitions(), config.replicationFactor() == null ? null : config.replicationFactor().shortValue(),
                config.dlqTopic(), config.threads(), config.metricsPort(),
                config.streams(), Map.of(), config.customerActivity().enabled(), config.identity());
    }

    /** Defaults for everything but the connections and the mappings: handy for tests and {@code syncline up}. */
    public static NormalizerSettings defaults(String bootstrapServers, String registryUrl, Path mappingsDir,
            Path stateDir) {
        NormalizerConfig d = NormalizerConfig.defaults();
        return new NormalizerSettings(bootstrapServers, registryUrl, mappingsDir, d.applicationId(), stateDir,
                d.partitions(), null, d.dlqTopic(), 1, null, Map.of(), Map.of());
    }

    public NormalizerSettings withApplicationId(String id) {
        return new NormalizerSettings(bootstrapServers, registryUrl, mappingsDir, id, stateDir, partitions,
                replicationFactor, dlqTopic, threads, metricsPort, streams, serde, customerActivity, identity);
    }

    public NormalizerSettings withMappingsDir(Path dir) {
        return new NormalizerSettings(bootstrapServers, registryUrl, dir, applicationId, stateDir, partitions,
                replicationFactor, dlqTopic, threads, metricsPort, streams, serde, customerActivity, identity);
    }

    public NormalizerSettings withStateDir(Path dir) {
        return new NormalizerSettings(bootstrapServers, registryUrl, mappingsDir, applicationId, dir, partitions,
                replicationFactor, dlqTopic, threads, metricsPort, streams, serde, customerActivity, identity);
    }

    public NormalizerSettings withPartitions(int n) {
        return new NormalizerSettings(bootstrapServers, registryUrl, mappingsDir, applicationId, stateDir, n,
                replicationFactor, dlqTopic, threads, metricsPort, streams, serde, customerActivity, identity);
    }

    public NormalizerSettings withMetricsPort(Integer port) {
        return new NormalizerSettings(bootstrapServers, registryUrl, mappingsDir, applicationId, stateDir, partitions,
                replicationFactor, dlqTopic, threads, port, streams, serde, customerActivity, identity);
    }

    /** A copy with the customer-activity join on or off. */
    public NormalizerSettings withCustomerActivity(boolean on) {
        return new NormalizerSettings(bootstrapServers, registryUrl, mappingsDir, applicationId, stateDir, partitions,
                replicationFactor, dlqTopic, threads, metricsPort, streams, serde, on, identity);
    }

    /** A copy with these identity resolution settings. */
    public NormalizerSettings withIdentity(IdentityConfig rules) {
        return new NormalizerSettings(bootstrapServers, registryUrl, mappingsDir, applicationId, stateDir, partitions,
                replicationFactor, dlqTopic, threads, metricsPort, streams, serde, customerActivity, rules);
    }

    /** A copy with one more Kafka Streams setting. */
    public NormalizerSettings withStreams(String key, String value) {
        Map<String, String> s = new LinkedHashMap<>(streams);
        s.put(key, value);
        return new NormalizerSettings(bootstrapServers, registryUrl, mappingsDir, applicationId, stateDir, partitions,
                replicationFactor, dlqTopic, threads, metricsPort, s, serde, customerActivity, identity);
    }

    /** The serde configuration: the registry URL, auto-registration, and any extra serde settings. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("schema.registry.url", registryUrl);
        c.put("auto.register.schemas", true);
        c.putAll(serde);
        return c;
    }
}

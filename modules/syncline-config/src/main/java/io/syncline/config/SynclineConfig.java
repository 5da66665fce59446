package io.syncline.config;

/**
 * The whole of {@code syncline.yaml}: the one file a user edits.
 *
 * <p>Sections are added as the platform grows (sources, mappings, sinks); each validates itself and the
 * loader places every problem at its file, line and key.
 *
 * @param cluster where Kafka, the registry and Connect run
 * @param gateway the webhook gateway and its endpoints
 * @param normalizer the mappings and the normalizer application
 */
public record SynclineConfig(ClusterConfig cluster, GatewayConfig gateway, NormalizerConfig normalizer)
        implements Validatable {

    public static final String DEFAULT_FILE = "syncline.yaml";

    public SynclineConfig {
        cluster = cluster == null ? ClusterConfig.defaults() : cluster;
        gateway = gateway == null ? GatewayConfig.defaults() : gateway;
        normalizer = normalizer == null ? NormalizerConfig.defaults() : normalizer;
    }

    public static SynclineConfig defaults() {
        return new SynclineConfig(null, null, null);
    }

    @Override
    public void validate(Problems problems, String path) {
        cluster.validate(problems, Problems.child(path, "cluster"));
        gateway.validate(problems, Problems.child(path, "gateway"));
        normalizer.validate(problems, Problems.child(path, "normalizer"));
    }
}

package io.syncline.cli.up;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.syncline.config.EmbeddedConfig;
import io.syncline.config.SynclineConfig;

/**
 * What the components of one {@code syncline up} share: the loaded {@code syncline.yaml}, the effective embedded
 * settings (flags over file), the data directory, and the endpoints started components publish.
 */
public final class StackContext {

    /** Endpoint keys; {@code syncline status} and the running file use the same names. */
    public static final String KAFKA = "kafka";
    public static final String REGISTRY = "registry";
    public static final String CONNECT = "connect";
    public static final String GATEWAY = "gateway";
    public static final String NORMALIZER = "normalizer";
    /** The normalizer's {@code /metrics} URL, when {@code normalizer.metrics-port} is set. */
    public static final String NORMALIZER_METRICS = "normalizer-metrics";
    /** The embedded Connect worker's {@code /metrics} URL (a port of its own, picked at start). */
    public static final String CONNECT_METRICS = "connect-metrics";
    public static final String PAYMENTS_SANDBOX = "payments-sandbox";
    public static final String CRM_SANDBOX = "crm-sandbox";
    public static final String SUPPORT_SANDBOX = "support-sandbox";
    public static final String SHOP_DATABASE = "shop-database";
    public static final String CONSOLE = "console";

    private final SynclineConfig config;
    private final EmbeddedConfig embedded;
    private final Path dataDir;
    private final List<Path> pluginPath;
    private final Map<String, String> endpoints = Collections.synchronizedMap(new LinkedHashMap<>());

    public StackContext(SynclineConfig config, EmbeddedConfig embedded, Path dataDir, List<Path> pluginPath) {
        this.config = config;
        this.embedded = embedded;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.pluginPath = List.copyOf(pluginPath);
    }

    /** The user's syncline.yaml (defaults when there is none). */
    public SynclineConfig config() {
        return config;
    }

    /** Ports and data directory after command-line flags were applied over {@code cluster.embedded}. */
    public EmbeddedConfig embedded() {
        return embedded;
    }

    /** Absolute data directory; each embedded component keeps its state in a sub-directory named after it. */
    public Path dataDir() {
        return dataDir;
    }

    /** Connect plugin directories (the distribution's {@code plugins/} and any {@code --plugin-path}). */
    public List<Path> pluginPath() {
        return pluginPath;
    }

    /** Publishes an endpoint, e.g. {@code publish(KAFKA, "localhost:9092")}. */
    public void publish(String key, String address) {
        endpoints.put(key, address);
    }

    /**
     * An endpoint published by an earlier component.
     *
     * @throws IllegalStateException when no component published it: the component order is wrong
     */
    public String endpoint(String key) {
        String value = endpoints.get(key);
        if (value == null) {
            throw new IllegalStateException("no component published the " + key + " endpoint before it was needed; "
                    + "components start in list order (see Components.standard)");
        }
        return value;
    }

    /** All published endpoints, in publishing order. */
    public Map<String, String> endpoints() {
        synchronized (endpoints) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
        }
    }
}

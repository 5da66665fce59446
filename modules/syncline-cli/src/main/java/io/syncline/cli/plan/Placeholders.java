package io.syncline.cli.plan;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code ${syncline:...}} placeholders of connector settings, for addresses only known where the plan runs (the
 * embedded registry's port is picked when {@code up} starts): filled in before a config is sent to Connect. They are
 * addresses, never secrets; secrets stay Kafka config provider references that the worker resolves.
 *
 * @param registryUrl the schema registry's URL, for {@value #REGISTRY_URL}
 * @param bootstrapServers Kafka's bootstrap servers, for {@value #BOOTSTRAP_SERVERS}
 */
public record Placeholders(String registryUrl, String bootstrapServers) {

    /** In a connector setting, replaced by the schema registry's URL. */
    public static final String REGISTRY_URL = "${syncline:registry-url}";
    /** In a connector setting, replaced by Kafka's bootstrap servers. */
    public static final String BOOTSTRAP_SERVERS = "${syncline:bootstrap-servers}";

    /** {@code config} with every placeholder replaced; values without one are returned as they are. */
    public Map<String, String> fill(Map<String, String> config) {
        Map<String, String> out = new LinkedHashMap<>();
        config.forEach((k, v) -> out.put(k, v == null ? null : v
                .replace(REGISTRY_URL, registryUrl == null || registryUrl.isEmpty() ? REGISTRY_URL : registryUrl)
                .replace(BOOTSTRAP_SERVERS, bootstrapServers == null || bootstrapServers.isEmpty()
                        ? BOOTSTRAP_SERVERS : bootstrapServers)));
        return out;
    }
}

package io.syncline.config;

import java.net.URI;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Where Syncline's Kafka, schema registry and Connect run; empty values mean "start an embedded one".
 *
 * @param bootstrapServers Kafka bootstrap servers, {@code host:port[,host:port…]}
 * @param registryUrl Confluent-compatible schema registry URL
 * @param connectUrl Kafka Connect REST URL
 * @param embedded ports and data directory of the embedded stack that {@code syncline up} starts
 */
@JsonClassDescription("Where Syncline's Kafka, schema registry and Kafka Connect run. Empty values mean that "
        + "`syncline up` starts an embedded one on loopback.")
public record ClusterConfig(
        @JsonPropertyDescription("Kafka bootstrap servers, host:port[,host:port...]. Empty: the embedded broker.")
        String bootstrapServers,
        @JsonPropertyDescription("Schema registry URL (Confluent-compatible). Empty: the embedded registry.")
        String registryUrl,
        @JsonPropertyDescription("Kafka Connect REST URL. Empty: the embedded Connect worker.")
        String connectUrl,
        @JsonPropertyDescription("Ports and data directory of the embedded stack.")
        EmbeddedConfig embedded) implements Validatable {

    public ClusterConfig {
        bootstrapServers = bootstrapServers == null ? "" : bootstrapServers.trim();
        registryUrl = registryUrl == null ? "" : registryUrl.trim();
        connectUrl = connectUrl == null ? "" : connectUrl.trim();
        embedded = embedded == null ? EmbeddedConfig.defaults() : embedded;
    }

    public static ClusterConfig defaults() {
        return new ClusterConfig("", "", "", EmbeddedConfig.defaults());
    }

    public boolean embeddedKafka() {
        return bootstrapServers.isEmpty();
    }

    public boolean embeddedRegistry() {
        return registryUrl.isEmpty();
    }

    public boolean embeddedConnect() {
        return connectUrl.isEmpty();
    }

    @Override
    public void validate(Problems problems, String path) {
        if (!bootstrapServers.isEmpty()) {
            for (String server : bootstrapServers.split(",")) {
                problems.require(server.trim().matches("[^:\\s]+:\\d{1,5}"), Problems.child(path, "bootstrap-servers"),
                        "expected host:port[,host:port...], got \"" + bootstrapServers + "\"");
            }
        }
        requireHttpUrl(problems, Problems.child(path, "registry-url"), registryUrl);
        requireHttpUrl(problems, Problems.child(path, "connect-url"), connectUrl);
        embedded.validate(problems, Problems.child(path, "embedded"));
    }

    static void requireHttpUrl(Problems problems, String key, String value) {
        if (value.isEmpty()) {
            return;
        }
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add(key, "expected an http:// or https:// URL, got \"" + value + "\"");
    }
}

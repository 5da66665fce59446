package io.syncline.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Ports and data directory of the stack {@code syncline up} starts in one JVM.
 *
 * @param dataDir where topics, schemas, Connect offsets and connectors are kept between runs
 */
public record EmbeddedConfig(
        @JsonPropertyDescription("Directory for broker logs, registry and Connect state; kept between runs.")
        String dataDir,
        @JsonPropertyDescription("Port of the embedded Kafka broker.")
        Integer kafkaPort,
        @JsonPropertyDescription("Port of the embedded Kafka controller (KRaft).")
        Integer kafkaControllerPort,
        @JsonPropertyDescription("Port of the embedded schema registry.")
        Integer registryPort,
        @JsonPropertyDescription("Port of the embedded Kafka Connect REST API.")
        Integer connectPort) implements Validatable {

    public static final String DEFAULT_DATA_DIR = ".syncline";
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_REGISTRY_PORT = 8081;
    public static final int DEFAULT_CONNECT_PORT = 8083;

    public EmbeddedConfig {
        dataDir = dataDir == null || dataDir.isBlank() ? DEFAULT_DATA_DIR : dataDir;
        kafkaPort = kafkaPort == null ? DEFAULT_KAFKA_PORT : kafkaPort;
        kafkaControllerPort = kafkaControllerPort == null ? DEFAULT_KAFKA_CONTROLLER_PORT : kafkaControllerPort;
        registryPort = registryPort == null ? DEFAULT_REGISTRY_PORT : registryPort;
        connectPort = connectPort == null ? DEFAULT_CONNECT_PORT : connectPort;
    }

    public static EmbeddedConfig defaults() {
        return new EmbeddedConfig(null, null, null, null, null);
    }

    @Override
    public void validate(Problems problems, String path) {
        port(problems, Problems.child(path, "kafka-port"), kafkaPort);
        port(problems, Problems.child(path, "kafka-controller-port"), kafkaControllerPort);
        port(problems, Problems.child(path, "registry-port"), registryPort);
        port(problems, Problems.child(path, "connect-port"), connectPort);
    }

    /** Checks a TCP port value; 0 is allowed and means "any free port". */
    public static void port(Problems problems, String key, int value) {
        problems.require(value >= 0 && value <= 65535, key, "expected a port between 0 and 65535 (0 = any free port), got "
                + value);
    }
}

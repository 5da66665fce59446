package io.syncline.config;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The {@code normalizer:} section of {@code syncline.yaml}: where the mappings are and how the Kafka Streams
 * application that applies them runs.
 *
 * @param applicationId Kafka Streams {@code application.id}; instances with the same id share the work
 * @param mappings the directory of mapping files
 * @param stateDir local state of the stream tasks (the latest-version store); empty: under the data dir
 * @param partitions partitions of the canonical and dead-letter topics the normalizer creates
 * @param replicationFactor replication of the topics it creates; null: the broker's default
 * @param dlqTopic where records that cannot be normalized go
 * @param threads stream threads per instance
 * @param metricsPort port of the {@code /health} and {@code /metrics} endpoint; null: none
 * @param streams extra Kafka Streams settings (e.g. {@code commit.interval.ms}), passed through
 * @param customerActivity the customer-activity join (on by default)
 * @param identity identity resolution (on by default)
 */
public record NormalizerConfig(
        @JsonPropertyDescription("Kafka Streams application.id; instances with the same id share the partitions.")
        String applicationId,
        @JsonPropertyDescription("Directory of mapping files (one YAML file per source object).")
        String mappings,
        @JsonPropertyDescription("Directory for the stream tasks' local state. Empty: <cluster.embedded.data-dir>/normalizer.")
        String stateDir,
        @JsonPropertyDescription("Partitions of the canonical and dead-letter topics the normalizer creates.")
        Integer partitions,
        @JsonPropertyDescription("Replication factor of the topics the normalizer creates. Empty: the broker's default.")
        Integer replicationFactor,
        @JsonPropertyDescription("Topic for records that cannot be normalized, with the reason in headers.")
        String dlqTopic,
        @JsonPropertyDescription("Stream threads per normalizer instance.")
        Integer threads,
        @JsonPropertyDescription("Port of the /health and /metrics HTTP endpoint. Empty: no endpoint.")
        Integer metricsPort,
        @JsonPropertyDescription("Extra Kafka Streams settings, passed through (e.g. commit.interval.ms).")
        Map<String, String> streams,
        @JsonPropertyDescription("The customer-activity join: each payer's customer, newest payment, lifetime value "
                + "and counts in canonical.finance.customer-activity.v1.")
        CustomerActivityConfig customerActivity,
        @JsonPropertyDescription("Identity resolution: the customers, contacts and support users that are one person, "
                + "in canonical.identity.person.v1 and canonical.identity.person-link.v1 (docs/identity.md).")
        IdentityConfig identity) implements Validatable {

    public static final String DEFAULT_APPLICATION_ID = "syncline-normalizer";
    public static final String DEFAULT_MAPPINGS = "mappings";
    public static final int DEFAULT_PARTITIONS = 12;
    public static final String DEFAULT_DLQ_TOPIC = "dlq.normalizer";

    public NormalizerConfig {
        applicationId = blank(applicationId) ? DEFAULT_APPLICATION_ID : applicationId.trim();
        mappings = blank(mappings) ? DEFAULT_MAPPINGS : mappings.trim();
        stateDir = stateDir == null ? "" : stateDir.trim();
        partitions = partitions == null ? DEFAULT_PARTITIONS : partitions;
        dlqTopic = blank(dlqTopic) ? DEFAULT_DLQ_TOPIC : dlqTopic.trim();
        threads = threads == null ? 1 : threads;
        streams = streams == null ? Map.of() : Map.copyOf(streams);
        customerActivity = customerActivity == null ? CustomerActivityConfig.defaults() : customerActivity;
        identity = identity == null ? IdentityConfig.defaults() : identity;
    }

    /** The section before identity resolution existed; it takes its default (on). */
    public NormalizerConfig(String applicationId, String mappings, String stateDir, Integer partitions,
            Integer replicationFactor, String dlqTopic, Integer threads, Integer metricsPort,
            Map<String, String> streams, CustomerActivityConfig customerActivity) {
        this(applicationId, mappings, stateDir, partitions, replicationFactor, dlqTopic, threads, metricsPort, streams,
                customerActivity, null);
    }

    /** The section before the customer-activity join existed; the join takes its default (on). */
    public NormalizerConfig(String applicationId, String mappings, String stateDir, Integer partitions,
            Integer replicationFactor, String dlqTopic, Integer threads, Integer metricsPort,
            Map<String, String> streams) {
        this(applicationId, mappings, stateDir, partitions, replicationFactor, dlqTopic, threads, metricsPort, streams,
                null, null);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    public static NormalizerConfig defaults() {
        return new NormalizerConfig(null, null, null, null, null, null, null, null, null);
    }

    @Override
    public void validate(Problems problems, String path) {
        problems.require(applicationId.matches("[A-Za-z0-9._-]+"), Problems.child(path, "application-id"),
                "expected letters, digits, '.', '_' or '-', got \"" + applicationId + "\"");
        problems.require(partitions >= 1 && partitions <= 10_000, Problems.child(path, "partitions"),
                "expected between 1 and 10000, got " + partitions);
        problems.require(replicationFactor == null || (replicationFactor >= 1 && replicationFactor <= 32),
                Problems.child(path, "replication-factor"), "expected between 1 and 32, got " + replicationFactor);
        problems.require(dlqTopic.matches("[A-Za-z0-9._-]{1,249}"), Problems.child(path, "dlq-topic"),
                "expected a Kafka topic name, got \"" + dlqTopic + "\"");
        problems.require(threads >= 1 && threads <= 64, Problems.child(path, "threads"),
                "expected between 1 and 64, got " + threads);
        if (metricsPort != null) {
            EmbeddedConfig.port(problems, Problems.child(path, "metrics-port"), metricsPort);
        }
        for (String key : streams.keySet()) {
            problems.require(!key.equals("application.id") && !key.equals("processing.guarantee"),
                    Problems.child(Problems.child(path, "streams"), key), "set by Syncline (application-id above;"
                            + " the normalizer always runs exactly_once_v2)");
        }
        identity.validate(problems, Problems.child(path, "identity"));
    }
}

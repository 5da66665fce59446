package io.syncline.cli.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.syncline.config.ConfigException;
import io.syncline.config.ConnectorConfig;
import io.syncline.config.ConnectorState;
import io.syncline.config.SynclineConfig;
import io.syncline.config.TopicConfig;
import io.syncline.config.WebhookEndpointConfig;
import io.syncline.normalizer.Normalizer;
import io.syncline.normalizer.NormalizerSettings;
import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.normalizer.mapping.TargetCatalog;
import io.syncline.schemas.CanonicalEntity;
import io.syncline.schemas.CanonicalSchemas;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * What {@code syncline.yaml} asks a cluster to hold, resolved for one cluster: the topics the pipeline needs (the
 * normalizer's raw, canonical and dead-letter topics, the gateway's fixed topics, each sink's dead-letter topic) with
 * the {@code topics:} section over them; one registry subject per canonical schema of {@code schemas/}; the
 * connectors of {@code sources:} and {@code sinks:}; and the mappings the normalizer will load.
 *
 * @param mappingProblems why the mappings do not compile against the canonical schemas; empty when they do
 * @param normalizerApplicationId the normalizer's Kafka Streams application id, whose changelogs bound the partitions
 *     of raw topics; null when no topics are planned
 */
public record Desired(List<Topic> topics, List<Subject> subjects, List<Connector> connectors, Mappings mappings,
                      List<String> mappingProblems, String normalizerApplicationId) {

    /** Retention of a sink's dead-letter topic: as long as the normalizer's, so that an operator can replay it. */
    static final String DLQ_RETENTION_MS = String.valueOf(30L * 24 * 3600 * 1000);
    /** Retention of a raw topic the gateway writes: as the normalizer's raw topics. */
    static final String RAW_RETENTION_MS = String.valueOf(7L * 24 * 3600 * 1000);

    /**
     * A topic to keep as declared.
     *
     * @param partitions the partitions it should have at least
     * @param replicationFactor replicas at creation; null: the broker's default
     * @param config settings to hold; settings not named are left as the cluster has them
     * @param origin why it is planned, for the plan's text ("raw topic the mappings read", "topics[2]")
     */
    public record Topic(String name, int partitions, Short replicationFactor, Map<String, String> config,
                        String origin) {
        public Topic {
            config = Map.copyOf(config);
        }
    }

    /** A registry subject that should hold {@code schema} (registered, or found among its versions). */
    public record Subject(String subject, Schema schema, String entity) {
    }

    /**
     * A connector to keep as declared.
     *
     * @param at where it is declared, e.g. {@code sinks[1]}
     * @param config the whole config to send, placeholders filled in, {@code name} not included
     */
    public record Connector(String name, String at, boolean sink, String connectorClass, Map<String, String> config,
                            ConnectorState state) {
        public Connector {
            config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
        }
    }

    /** The normalizer's mappings: their directory and, when they compile, the compiled set. */
    public record Mappings(Path dir, Optional<MappingSet> set) {
    }

    /**
     * Resolves {@code config} for the cluster at {@code endpoints}.
     *
     * @param mappingsDir the normalizer's mappings directory
     * @param placeholders the values of {@code ${syncline:...}} placeholders (see {@link Placeholders})
     */
    public static Desired of(SynclineConfig config, Path mappingsDir, Placeholders placeholders) {
        List<String> mappingProblems = new ArrayList<>();
        MappingSet mappings = null;
        try {
            mappings = MappingSet.load(mappingsDir, TargetCatalog.canonical());
        } catch (ConfigException e) {
            e.problems().forEach(p -> mappingProblems.add(p.toString()));
        }
        Map<String, Topic> topics = new LinkedHashMap<>();
        int partitions = config.normalizer().partitions();
        if (mappings != null) {
            NormalizerSettings settings = NormalizerSettings.from(config.normalizer(), placeholders.bootstrapServers(),
                    placeholders.registryUrl(), mappingsDir, mappingsDir);
            for (NewTopic t : Normalizer.plannedTopics(settings, mappings)) {
                topics.put(t.name(), new Topic(t.name(), t.numPartitions(),
                        t.replicationFactor() < 0 ? null : t.replicationFactor(), t.configs(), origin(t.name(),
                        config)));
            }
        }
        Short replication = config.normalizer().replicationFactor() == null ? null
                : config.normalizer().replicationFactor().shortValue();
        for (WebhookEndpointConfig e : config.gateway().endpoints()) {
            for (String t : new String[] {e.topic(), e.fallbackTopic()}) {
                // A template ({/data/object/object}) names topics only the payloads decide; the fixed ones are planned.
                if (t != null && !t.isBlank() && !t.contains("{")) {
                    topics.putIfAbsent(t, new Topic(t, partitions, replication, Map.of("cleanup.policy", "delete",
                            "retention.ms", RAW_RETENTION_MS), "raw topic of webhook endpoint " + e.name()));
                }
            }
        }
        List<Connector> connectors = new ArrayList<>();
        addConnectors(config.sources(), false, "sources", placeholders, connectors);
        addConnectors(config.sinks(), true, "sinks", placeholders, connectors);
        for (Connector c : connectors) {
            String dlq = c.config().get("errors.deadletterqueue.topic.name");
            if (c.sink() && dlq != null && !dlq.isBlank()) {
                String rf = c.config().get("errors.deadletterqueue.topic.replication.factor");
                // One partition, as Connect creates a dead-letter topic itself; planned so that it exists with a
                // retention long enough to replay from before the first record fails.
                topics.putIfAbsent(dlq, new Topic(dlq, 1, rf == null ? replication : Short.valueOf(rf),
                        Map.of("cleanup.policy", "delete", "retention.ms", DLQ_RETENTION_MS),
                        "dead-letter topic of sink " + c.name()));
            }
        }
        for (int i = 0; i < config.topics().size(); i++) {
            TopicConfig declared = config.topics().get(i);
            Topic base = topics.get(declared.name());
            Map<String, String> settings = new LinkedHashMap<>(base == null ? Map.of() : base.config());
            settings.putAll(declared.config());
            int wanted = declared.partitions() != null ? declared.partitions()
                    : base != null ? base.partitions() : partitions;
            Short rf = declared.replicationFactor() != null ? Short.valueOf(declared.replicationFactor().shortValue())
                    : base != null ? base.replicationFactor() : replication;
            topics.put(declared.name(), new Topic(declared.name(), wanted, rf, settings,
                    "topics[" + i + "]" + (base == null ? "" : " over the " + base.origin())));
        }
        List<Subject> subjects = new ArrayList<>();
        for (CanonicalEntity e : CanonicalSchemas.entities()) {
            subjects.add(new Subject(e.valueSubject(), e.schema(), e.name()));
        }
        return new Desired(List.copyOf(topics.values()), List.copyOf(subjects), List.copyOf(connectors),
                new Mappings(mappingsDir, Optional.ofNullable(mappings)), List.copyOf(mappingProblems),
                config.normalizer().applicationId());
    }

    /** Only the connectors: what {@code up} applies (its normalizer creates topics and registers schemas itself). */
    public static Desired connectorsOnly(SynclineConfig config, Placeholders placeholders) {
        List<Connector> connectors = new ArrayList<>();
        addConnectors(config.sources(), false, "sources", placeholders, connectors);
        addConnectors(config.sinks(), true, "sinks", placeholders, connectors);
        return new Desired(List.of(), List.of(), List.copyOf(connectors), new Mappings(null, Optional.empty()),
                List.of(), null);
    }

    private static void addConnectors(List<ConnectorConfig> declared, boolean sink, String section,
                                      Placeholders placeholders, List<Connector> out) {
        for (int i = 0; i < declared.size(); i++) {
            ConnectorConfig c = declared.get(i);
            out.add(new Connector(c.name(), section + "[" + i + "]", sink, c.connectorClass(),
                    placeholders.fill(c.connectConfig(sink)), c.state()));
        }
    }

    private static String origin(String topic, SynclineConfig config) {
        if (topic.equals(config.normalizer().dlqTopic())) {
            return "the normalizer's dead-letter topic";
        }
        return topic.startsWith("canonical.") ? "canonical topic the mappings write" : "raw topic the mappings read";
    }
}

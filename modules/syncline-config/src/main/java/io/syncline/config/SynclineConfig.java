package io.syncline.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The whole of {@code syncline.yaml}: the one file a user edits.
 *
 * <p>Sections are added as the platform grows (sources, mappings, sinks); each validates itself and the
 * loader places every problem at its file, line and key.
 *
 * @param cluster where Kafka, the registry and Connect run
 * @param gateway the webhook gateway and its endpoints
 * @param normalizer the mappings and the normalizer application
 * @param sources source connectors {@code up} creates or updates on Connect
 * @param sinks sink connectors {@code up} creates or updates on Connect
 * @param console the web console
 * @param topics topics {@code syncline plan}/{@code apply} keep as declared, beyond or over the pipeline's own
 */
public record SynclineConfig(ClusterConfig cluster, GatewayConfig gateway, NormalizerConfig normalizer,
                             @JsonPropertyDescription("Source connectors syncline up creates or updates on Connect.")
                             List<ConnectorConfig> sources,
                             @JsonPropertyDescription("Sink connectors syncline up creates or updates on Connect.")
                             List<ConnectorConfig> sinks,
                             ConsoleConfig console,
                             @JsonPropertyDescription("Topics syncline apply creates or keeps as declared (partitions, "
                                     + "settings), beyond or over the raw, canonical and dead-letter topics the "
                                     + "pipeline needs.")
                             List<TopicConfig> topics)
        implements Validatable {

    public static final String DEFAULT_FILE = "syncline.yaml";

    public SynclineConfig {
        cluster = cluster == null ? ClusterConfig.defaults() : cluster;
        gateway = gateway == null ? GatewayConfig.defaults() : gateway;
        normalizer = normalizer == null ? NormalizerConfig.defaults() : normalizer;
        sources = sources == null ? List.of() : List.copyOf(sources);
        sinks = sinks == null ? List.of() : List.copyOf(sinks);
        console = console == null ? ConsoleConfig.defaults() : console;
        topics = topics == null ? List.of() : List.copyOf(topics);
    }

    /** The file before the console and topics sections existed. */
    public SynclineConfig(ClusterConfig cluster, GatewayConfig gateway, NormalizerConfig normalizer,
                          List<ConnectorConfig> sources, List<ConnectorConfig> sinks) {
        this(cluster, gateway, normalizer, sources, sinks, null, null);
    }

    /** A file without a {@code topics:} section. */
    public SynclineConfig(ClusterConfig cluster, GatewayConfig gateway, NormalizerConfig normalizer,
                          List<ConnectorConfig> sources, List<ConnectorConfig> sinks, ConsoleConfig console) {
        this(cluster, gateway, normalizer, sources, sinks, console, null);
    }

    /** The same config with these connectors (the demo builds its pipeline this way). */
    public SynclineConfig withConnectors(List<ConnectorConfig> sources, List<ConnectorConfig> sinks) {
        return new SynclineConfig(cluster, gateway, normalizer, sources, sinks, console, topics);
    }

    /** The same config with this gateway section. */
    public SynclineConfig withGateway(GatewayConfig gateway) {
        return new SynclineConfig(cluster, gateway, normalizer, sources, sinks, console, topics);
    }

    public static SynclineConfig defaults() {
        return new SynclineConfig(null, null, null, null, null, null, null);
    }

    /** The same config with this console section. */
    public SynclineConfig withConsole(ConsoleConfig console) {
        return new SynclineConfig(cluster, gateway, normalizer, sources, sinks, console, topics);
    }

    @Override
    public void validate(Problems problems, String path) {
        cluster.validate(problems, Problems.child(path, "cluster"));
        gateway.validate(problems, Problems.child(path, "gateway"));
        normalizer.validate(problems, Problems.child(path, "normalizer"));
        console.validate(problems, Problems.child(path, "console"));
        Set<String> names = new HashSet<>();
        for (int i = 0; i < sources.size(); i++) {
            validateConnector(sources.get(i), Problems.index(Problems.child(path, "sources"), i), names, problems);
        }
        for (int i = 0; i < sinks.size(); i++) {
            ConnectorConfig sink = sinks.get(i);
            String at = Problems.index(Problems.child(path, "sinks"), i);
            validateConnector(sink, at, names, problems);
            problems.require(!sink.topics().isEmpty() || sink.config().containsKey("topics")
                    || sink.config().containsKey("topics.regex"), Problems.child(at, "topics"),
                    "expected the topics the sink reads, e.g. [canonical.finance.customer.v1]");
        }
        Set<String> topicNames = new HashSet<>();
        for (int i = 0; i < topics.size(); i++) {
            TopicConfig topic = topics.get(i);
            String at = Problems.index(Problems.child(path, "topics"), i);
            if (topic == null) {
                problems.add(at, "expected a topic with name, partitions and config");
                continue;
            }
            topic.validate(problems, at);
            problems.require(topic.name().isEmpty() || topicNames.add(topic.name()), Problems.child(at, "name"),
                    "expected a unique name; \"" + topic.name() + "\" is declared twice");
        }
    }

    private static void validateConnector(ConnectorConfig c, String at, Set<String> names, Problems problems) {
        if (c == null) {
            problems.add(at, "expected a connector with name, connector and config");
            return;
        }
        c.validate(problems, at);
        problems.require(c.name().isEmpty() || names.add(c.name()), Problems.child(at, "name"),
                "expected a unique name; \"" + c.name() + "\" is declared twice");
    }
}

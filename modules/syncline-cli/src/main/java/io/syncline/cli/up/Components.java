package io.syncline.cli.up;

import java.util.ArrayList;
import java.util.List;

import io.syncline.config.ClusterConfig;

/**
 * The components {@code syncline up} runs, in start order. To add one (gateway, normalizer, console, ...): implement
 * {@link Component} and add one line here after the components it needs; add its port flag to {@code UpCommand}.
 */
public final class Components {

    private Components() {
    }

    /** Kafka, the schema registry, then Connect; each embedded unless {@code syncline.yaml} points at an external one. */
    public static List<Component> standard(StackContext context) {
        ClusterConfig cluster = context.config().cluster();
        List<Component> components = new ArrayList<>();
        components.add(cluster.embeddedKafka() ? new EmbeddedKafkaComponent()
                : ExternalComponent.kafka(cluster.bootstrapServers()));
        components.add(cluster.embeddedRegistry() ? new EmbeddedRegistryComponent()
                : ExternalComponent.registry(cluster.registryUrl()));
        components.add(cluster.embeddedConnect() ? new EmbeddedConnectComponent()
                : ExternalComponent.connect(cluster.connectUrl()));
        return components;
    }
}

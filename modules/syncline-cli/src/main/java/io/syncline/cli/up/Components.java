package io.syncline.cli.up;

import java.io.PrintWriter;
import java.nio.file.Path;
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
    public static List<Component> cluster(StackContext context) {
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

    /**
     * The whole stack: the cluster, then the webhook gateway, the normalizer and the connectors of syncline.yaml;
     * with {@code demo}, its sandboxes first.
     *
     * @param baseDir what relative paths of syncline.yaml resolve against
     * @param out where the connectors component says what it created
     */
    public static List<Component> standard(StackContext context, Path baseDir, PrintWriter out,
                                           DemoSandboxesComponent demo) {
        return standard(context, baseDir, out, demo, null);
    }

    /**
     * {@link #standard(StackContext, Path, PrintWriter, DemoSandboxesComponent)} and, last, the web console
     * (unless {@code console.enabled} is false or {@code configFile} is null), so it sees everything started.
     *
     * @param configFile the syncline.yaml in use, which the console's Config page shows
     */
    public static List<Component> standard(StackContext context, Path baseDir, PrintWriter out,
                                           DemoSandboxesComponent demo, Path configFile) {
        List<Component> components = new ArrayList<>();
        if (demo != null) {
            components.add(demo);
            components.add(demo.shop());
        }
        components.addAll(cluster(context));
        components.add(new GatewayComponent());
        components.add(new NormalizerComponent(baseDir));
        components.add(new ConnectorsComponent(out));
        if (configFile != null && context.config().console().enabled()) {
            components.add(new ConsoleComponent(context.config().console(), configFile));
        }
        return components;
    }
}

package io.syncline.cli.up;

import java.util.function.Function;

import io.syncline.ops.Health;
import io.syncline.ops.Probes;

/**
 * A service configured in {@code syncline.yaml} ({@code cluster.bootstrap-servers}, {@code registry-url},
 * {@code connect-url}) that {@code up} does not start: it checks that it answers and publishes its address.
 */
public final class ExternalComponent implements Component {

    private final String name;
    private final String endpointKey;
    private final String address;
    private final String configKey;
    private final Function<String, Health> probe;

    public ExternalComponent(String name, String endpointKey, String address, String configKey,
                             Function<String, Health> probe) {
        this.name = name;
        this.endpointKey = endpointKey;
        this.address = address;
        this.configKey = configKey;
        this.probe = probe;
    }

    public static ExternalComponent kafka(String bootstrapServers) {
        return new ExternalComponent("Kafka", StackContext.KAFKA, bootstrapServers, "cluster.bootstrap-servers",
                Probes::kafka);
    }

    public static ExternalComponent registry(String url) {
        return new ExternalComponent("Schema registry", StackContext.REGISTRY, url, "cluster.registry-url",
                Probes::registry);
    }

    public static ExternalComponent connect(String url) {
        return new ExternalComponent("Kafka Connect", StackContext.CONNECT, url, "cluster.connect-url", Probes::connect);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(StackContext context) {
        Health health = probe.apply(address);
        if (!health.up()) {
            throw new IllegalStateException(name + " at " + address + " (" + configKey + " in syncline.yaml) does not answer: "
                    + health.detail() + "; start it, fix " + configKey + ", or remove it to run an embedded one");
        }
        context.publish(endpointKey, address);
    }

    @Override
    public void stop() {
        // Not ours to stop.
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public Health health() {
        return probe.apply(address);
    }

    @Override
    public String mode() {
        return "external";
    }
}

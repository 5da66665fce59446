package io.syncline.cli.up;

import io.syncline.kafka.FreePorts;
import io.syncline.ops.Health;
import io.syncline.ops.Probes;
import io.syncline.registry.server.SchemaRegistryServer;

/**
 * The embedded Confluent-compatible schema registry on the Kafka published as {@link StackContext#KAFKA}; its state
 * is the {@code _schemas} topic, so it needs no directory of its own. Publishes {@link StackContext#REGISTRY}.
 */
public final class EmbeddedRegistryComponent implements Component {

    private static final String HOST = "localhost";
    private SchemaRegistryServer server;
    private String address = "";

    @Override
    public String name() {
        return "Schema registry";
    }

    @Override
    public void preflight(StackContext context) {
        int port = context.embedded().registryPort();
        if (port != 0) {
            FreePorts.requireFree(HOST, port, "schema registry", "--registry-port (or cluster.embedded.registry-port)");
        }
    }

    @Override
    public void start(StackContext context) {
        server = SchemaRegistryServer.builder(context.endpoint(StackContext.KAFKA))
                .host(HOST)
                .port(context.embedded().registryPort())
                .build()
                .start();
        address = server.url();
        context.publish(StackContext.REGISTRY, address);
    }

    @Override
    public void stop() {
        server.close();
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public Health health() {
        return Probes.registry(address);
    }
}

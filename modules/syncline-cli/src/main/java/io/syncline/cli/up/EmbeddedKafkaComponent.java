package io.syncline.cli.up;

import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.kafka.FreePorts;
import io.syncline.ops.Health;
import io.syncline.ops.Probes;

/** The embedded single-node KRaft broker; its log lives in {@code <data-dir>/kafka}. Publishes {@link StackContext#KAFKA}. */
public final class EmbeddedKafkaComponent implements Component {

    private static final String HOST = "localhost";
    private EmbeddedKafkaBroker broker;
    private String address = "";

    @Override
    public String name() {
        return "Kafka broker";
    }

    @Override
    public void preflight(StackContext context) {
        int port = context.embedded().kafkaPort();
        int controllerPort = context.embedded().kafkaControllerPort();
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("the Kafka broker and controller ports are both " + port
                    + "; give them different values with --kafka-port and --kafka-controller-port");
        }
        if (port != 0) {
            FreePorts.requireFree(HOST, port, "Kafka broker", "--kafka-port (or cluster.embedded.kafka-port)");
        }
        if (controllerPort != 0) {
            FreePorts.requireFree(HOST, controllerPort, "Kafka controller",
                    "--kafka-controller-port (or cluster.embedded.kafka-controller-port)");
        }
    }

    @Override
    public void start(StackContext context) {
        broker = EmbeddedKafkaBroker.builder(context.dataDir().resolve("kafka"))
                .host(HOST)
                .port(context.embedded().kafkaPort())
                .controllerPort(context.embedded().kafkaControllerPort())
                // Every topic is created by whoever owns it (the gateway and the normalizer their raw, canonical and
                // dead-letter topics, Connect its own and the connectors'), so a write to an undeclared name is an
                // error, not a new topic a webhook sender or a typo chose.
                .config("auto.create.topics.enable", "false")
                .build()
                .start();
        address = broker.bootstrapServers();
        context.publish(StackContext.KAFKA, address);
    }

    @Override
    public void stop() {
        broker.close();
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public Health health() {
        return Probes.kafka(address);
    }
}

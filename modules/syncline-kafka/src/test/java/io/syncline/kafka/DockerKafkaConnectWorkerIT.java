package io.syncline.kafka;

import org.junit.jupiter.api.AfterAll;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The Connect worker contract against a real {@code apache/kafka} broker in a container ({@code -Pdocker} only).
 *
 * <p>The container keeps running across the contract's restart, so here only the worker restarts; the embedded
 * variant restarts the broker too.
 */
@RequiresDocker
class DockerKafkaConnectWorkerIT extends ConnectWorkerContract {

    /** The same Kafka version the project pins (see the parent pom). */
    static final String IMAGE = "apache/kafka:4.3.1";

    private static KafkaContainer kafka;

    @Override
    protected String startKafka() {
        if (kafka == null) {
            kafka = new KafkaContainer(IMAGE);
            kafka.start();
        }
        return kafka.getBootstrapServers();
    }

    @Override
    protected void stopKafka() {
        // The container cannot come back on the same data and port; it stops once, after the class.
    }

    @AfterAll
    static void stopContainer() {
        if (kafka != null) {
            kafka.stop();
        }
    }
}

package io.syncline.normalizer;

import java.nio.file.Path;

import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.registry.server.SchemaRegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack every normalizer integration test runs on, started once per test class: a real single-node KRaft broker
 * and the real registry over HTTP, with their data in the class's temporary directory ({@link #dir}, which the test
 * also uses for mappings and state).
 */
abstract class WithBrokerAndRegistry {

    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static SchemaRegistryServer registry;

    @BeforeAll
    static void startStack() {
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).build().start();
        registry = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build().start();
    }

    @AfterAll
    static void stopStack() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}

package io.syncline.registry.it;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.registry.server.SchemaRegistryServer;

/**
 * One embedded KRaft broker and one plain-HTTP Syncline registry per test class, started before its tests and closed
 * after them. Classes run one after another in the failsafe fork, so the statics here belong to one class at a time.
 */
abstract class OneRegistryPerClass {

    @TempDir
    static Path dataDir;

    static EmbeddedKafkaBroker broker;
    static SchemaRegistryServer registry;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.builder(dataDir).build().start();
        registry = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build().start();
    }

    @AfterAll
    static void stop() {
        try {
            if (registry != null) {
                registry.close();
            }
        } finally {
            broker.close();
        }
    }
}

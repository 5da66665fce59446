package io.syncline.registry.server;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import io.syncline.kafka.EmbeddedKafkaBroker;

/**
 * One embedded KRaft broker and one registry server per test class, started before its tests and closed after them:
 * the setup the registry's HTTP ITs share. Classes run one after another in the failsafe fork, so the statics here
 * belong to one class at a time.
 */
abstract class OneRegistryPerClass {

    @TempDir
    static Path dataDir;

    static EmbeddedKafkaBroker broker;
    static SchemaRegistryServer server;
    static RegistryClient client;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.builder(dataDir).build().start();
        server = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build().start();
        client = new RegistryClient(server.url());
    }

    @AfterAll
    static void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            broker.close();
        }
    }
}

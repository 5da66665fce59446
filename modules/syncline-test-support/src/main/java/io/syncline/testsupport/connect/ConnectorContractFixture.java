package io.syncline.testsupport.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.syncline.kafka.ConnectRestClient;
import io.syncline.kafka.EmbeddedConnectWorker;
import io.syncline.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the source and sink connector contracts share: one broker and one Connect worker (loading the connector from
 * its plugin directory) for the whole test class, and per test a connector name, a namespace for its topics, a
 * credential file and a fresh provider or target; plus the helpers the connectors' own tests use.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConnectorContractFixture {

    private final String namespacePrefix;
    private final String connectorPrefix;
    // Package-private: the two contracts in this package use them directly; connectors' tests use the accessors.
    Path classDir;
    EmbeddedKafkaBroker broker;
    EmbeddedConnectWorker worker;
    ConnectRestClient rest;
    ConnectAdmin admin;
    String connectorName;
    String namespace;
    Path secretFile;

    /**
     * @param namespacePrefix first letter of each test's namespace, so a source's and a sink's topics never meet
     * @param connectorPrefix prefix of each test's connector name (the test method's name follows)
     */
    ConnectorContractFixture(String namespacePrefix, String connectorPrefix) {
        this.namespacePrefix = namespacePrefix;
        this.connectorPrefix = connectorPrefix;
    }

    /** The directory to put on the worker's {@code plugin.path}; it holds the connector's plugin directory. */
    protected abstract Path pluginPath();

    /** The connector class as a name (the class itself must not be on the test classpath). */
    protected abstract String connectorClass();

    /**
     * A working configuration (without {@code name} and {@code connector.class}) against the running provider or
     * target, its topics named after {@code namespace}.
     */
    protected abstract Map<String, String> connectorConfig(String namespace, String credential);

    /** A credential the running provider or target accepts. */
    protected abstract String validCredential();

    /** Turns every fault off. */
    protected abstract void clearFaults();

    /** Starts what the class needs next to the broker, before the worker; default nothing. */
    void startServices(String bootstrapServers) {
    }

    /** Stops what {@link #startServices} started, after the worker stopped. */
    void stopServices() {
    }

    /** Starts this test's fresh provider or target. */
    abstract void startPeer();

    /** Stops this test's provider or target. */
    abstract void stopPeer();

    // ------------------------------------------------------------------ fixture

    @BeforeAll
    void startKafkaAndConnect(@TempDir Path dir) {
        // A parameter, not a field: JUnit fills @TempDir fields only before each test, after @BeforeAll has run.
        classDir = dir;
        broker = EmbeddedKafkaBroker.builder(classDir.resolve("kafka")).port(0).controllerPort(0).build().start();
        startServices(broker.bootstrapServers());
        worker = EmbeddedConnectWorker.builder(broker.bootstrapServers()).port(0).pluginDirectory(pluginPath())
                .build().start();
        rest = new ConnectRestClient(worker.url());
        admin = new ConnectAdmin(worker.url());
    }

    @AfterAll
    void stopConnectAndKafka() {
        try {
            if (worker != null) {
                worker.close();
            }
        } finally {
            try {
                stopServices();
            } finally {
                if (broker != null) {
                    broker.close();
                }
            }
        }
    }

    @BeforeEach
    void freshPeer(TestInfo test) {
        String method = test.getTestMethod().map(m -> m.getName()).orElse("test");
        namespace = namespacePrefix + Integer.toHexString(method.hashCode() & 0xfffff);
        connectorName = connectorPrefix + method;
        secretFile = classDir.resolve(namespace + "-secret.properties");
        writeSecret(validCredential());
        startPeer();
    }

    @AfterEach
    void removeConnectorAndPeer() {
        try {
            if (!worker.isRunning()) {
                worker.start();
            }
            if (rest.connectors().contains(connectorName)) {
                rest.deleteConnector(connectorName);
            }
        } finally {
            clearFaults();
            stopPeer();
        }
    }

    // ------------------------------------------------------------------ helpers for subclasses' own tests

    /** The bootstrap servers of the class's broker. */
    protected final String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The REST client of the class's worker. */
    protected final ConnectRestClient rest() {
        return rest;
    }

    /** Validation and restart calls against the class's worker. */
    protected final ConnectAdmin admin() {
        return admin;
    }

    /** The class's worker (tests may {@code close()} and {@code start()} it). */
    protected final EmbeddedConnectWorker worker() {
        return worker;
    }

    /** This test's connector name. */
    protected final String connectorName() {
        return connectorName;
    }

    /** This test's namespace (see {@link #connectorConfig}). */
    protected final String namespace() {
        return namespace;
    }

    /** A {@code ${file:...}} reference to this test's credential file (holds {@link #validCredential()} at first). */
    protected final String credentialReference() {
        return "${file:" + secretFile.toAbsolutePath() + ":credential}";
    }

    /** Replaces the credential behind {@link #credentialReference()}. */
    protected final void writeSecret(String credential) {
        try {
            Files.writeString(secretFile, "credential=" + credential + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + secretFile, e);
        }
    }

    /** Creates this test's connector with {@link #connectorConfig} and {@code credential}. */
    protected final void create(String credential) {
        create(connectorConfig(namespace, credential));
    }

    /** Creates (or reconfigures) this test's connector with {@code config}. */
    protected final void create(Map<String, String> config) {
        Map<String, String> full = new LinkedHashMap<>(config);
        full.put("connector.class", connectorClass());
        rest.putConnectorConfig(connectorName, full);
    }

    /** Waits until the connector and all its tasks run; fails at once, with the trace, when a task failed. */
    protected final void awaitRunning() {
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
            ConnectRestClient.ConnectorStatus status = rest.status(connectorName);
            for (ConnectRestClient.TaskStatus t : status.tasks()) {
                if (t.state().equals("FAILED")) {
                    throw new AssertionError("task " + t.id() + " of " + connectorName + " failed:\n" + t.trace());
                }
            }
            assertThat(status.state()).isEqualTo("RUNNING");
            assertThat(status.tasks()).isNotEmpty().allMatch(t -> t.state().equals("RUNNING"));
        });
    }

    /** Throws at once, with the trace, when a task of this test's connector failed. */
    void failFastOnFailedTask() {
        for (ConnectRestClient.TaskStatus t : rest.status(connectorName).tasks()) {
            if (t.state().equals("FAILED")) {
                throw new IllegalStateException("task " + t.id() + " of " + connectorName + " failed:\n" + t.trace());
            }
        }
    }
}

package io.syncline.delivery.testing;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import io.syncline.registry.server.SchemaRegistryServer;
import io.syncline.schemas.finance.Customer;
import io.syncline.testsupport.connect.SinkConnectorContract;

/**
 * The shared sink contract for this plugin's sinks, fed canonical {@code finance.Customer} records through the real
 * registry: what the generic HTTP sink's and the CRM sink's contract tests have in common (the plugin archive, the
 * registry, the topic per test, the records the contract's changes become). A change the contract marks rejectable
 * gets an address the target refuses.
 */
public abstract class CustomerSinkContract extends SinkConnectorContract {

    protected SchemaRegistryServer registry;
    private Canonical canonical;

    @Override
    protected Path pluginPath() {
        return Path.of(System.getProperty("syncline.test.plugin.path", "target/plugin"));
    }

    @Override
    protected void startSupportServices(String bootstrapServers) {
        registry = SchemaRegistryServer.builder(bootstrapServers).port(0).build().start();
        canonical = new Canonical(registry.url());
    }

    @Override
    protected void stopSupportServices() {
        if (registry != null) {
            registry.close();
        }
    }

    /** The canonical topic of one test. */
    protected static String topic(String namespace) {
        return "canonical." + namespace + ".customer.v1";
    }

    /**
     * The keys every sink of this plugin needs in the contract, whatever it writes: this test's topic read as
     * canonical Avro, bearer auth with {@code credential}, the target allow-listed, five lanes, short timeouts and
     * backoff (faults are injected), and dead letters to this test's DLQ. The sink adds its own keys.
     *
     * @param targetHostPort the target's host:port, allow-listed (plain HTTP included)
     */
    protected final Map<String, String> deliveryConfig(String namespace, String credential, String tasksMax,
            String targetHostPort) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("tasks.max", tasksMax);
        c.put("topics", topic(namespace));
        c.put("value.converter", "io.syncline.registry.connect.AvroConverter");
        c.put("value.converter.schema.registry.url", registry.url());
        c.put("auth.type", "bearer");
        c.put("auth.bearer.token", credential);
        c.put("outbound.allow.list", targetHostPort);
        c.put("outbound.allow.plain.http", targetHostPort);
        c.put("delivery.lanes", "5");
        c.put("http.request.timeout.ms", "1500");
        c.put("retry.backoff.initial.ms", "50");
        c.put("retry.backoff.max.ms", "400");
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", dlqTopic(namespace));
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        return c;
    }

    @Override
    protected void produce(String namespace, List<Change> changes) {
        CanonicalTopics.create(bootstrapServers(), topic(namespace), 3);
        CanonicalTopics.produce(bootstrapServers(), canonical, topic(namespace), changes.stream()
                .map(c -> Map.entry(c.key(), customer(c))).toList());
    }

    private static Customer customer(Change c) {
        String sourceId = c.key().substring("stripe:".length());
        return Canonical.customer(sourceId, c.rejectable() ? "not-an-email" : sourceId + "@example.com",
                "Customer " + sourceId, c.eventId(), Instant.ofEpochMilli(c.version()));
    }

    /**
     * The configurations every sink refuses through the shared delivery keys (outbound guard, bearer auth, a target
     * nothing listens at), reported on the sink's target URL key, followed by the sink's own ones.
     *
     * @param urlKey the sink's target URL key, e.g. http.url
     * @param metadataUrl a value for it pointing at the cloud metadata address
     * @param urlAtPort a value for it pointing at a loopback port, e.g. port -> "http://127.0.0.1:" + port
     */
    protected static List<InvalidConfig> withSharedInvalidConfigs(Map<String, String> valid, String urlKey,
                                                                  String metadataUrl, IntFunction<String> urlAtPort,
                                                                  List<InvalidConfig> own) {
        Map<String, String> notAllowed = new LinkedHashMap<>(valid);
        notAllowed.remove("outbound.allow.list");
        Map<String, String> metadata = new LinkedHashMap<>(valid);
        metadata.put(urlKey, metadataUrl);
        metadata.put("outbound.allow.plain.http", "169.254.169.254");
        Map<String, String> noToken = new LinkedHashMap<>(valid);
        noToken.remove("auth.bearer.token");
        int closedPort = closedPort();
        Map<String, String> nothingListening = new LinkedHashMap<>(valid);
        nothingListening.put(urlKey, urlAtPort.apply(closedPort));
        nothingListening.put("outbound.allow.list", "127.0.0.1");
        nothingListening.put("outbound.allow.plain.http", "127.0.0.1");
        List<InvalidConfig> all = new ArrayList<>(List.of(
                new InvalidConfig("a loopback target that is not allow-listed", notAllowed, urlKey,
                        "is an internal address (loopback); add it to connector key 'outbound.allow.list'"),
                new InvalidConfig("the cloud metadata address", metadata, urlKey,
                        "169.254.169.254 is an internal address (cloud metadata service)"),
                new InvalidConfig("bearer auth without a token", noToken, "auth.bearer.token",
                        "auth.bearer.token is required when auth.type=bearer"),
                new InvalidConfig("nothing listening at the target (live check)", nothingListening, urlKey,
                        urlKey + ": cannot reach http://127.0.0.1:" + closedPort + " (GET http://127.0.0.1:"
                                + closedPort + "/")));
        all.addAll(own);
        return all;
    }

    /** A loopback port nothing listens on (bound and released at once). */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }
}

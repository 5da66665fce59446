package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.cli.dist.SynclineProcess;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.kafka.FreePorts;
import io.syncline.registry.server.SchemaRegistryServer;
import io.syncline.sandbox.payments.PaymentsSandbox;
import io.syncline.sandbox.payments.StripeSignature;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 16 item 2: every role scaled by processes. 3 Connect workers, 2 normalizers and 2 gateways run as separate
 * JVMs (the distribution's {@code bin/syncline connect-worker|normalizer|gateway}) on one broker; under load (signed
 * webhooks into the gateways, customers created in the payments sandbox and polled by a source connector on the
 * workers) one of each is removed (SIGTERM, as a scale-in does), then a new one of each added. The Connect tasks and
 * the normalizer's partitions move to who is there, a new gateway takes its share, and every webhook the gateways
 * acknowledged and every customer the sandbox created reaches the canonical topic exactly once, counted by id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleOutIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "whsec_scale_out_it";
    private static final String GROUP = "scale-out-connect";
    private static final String APP_ID = "scale-out-normalizer";
    private static final String CONNECTOR = "scale-out-payments";
    private static final String CANONICAL = "canonical.finance.customer.v1";
    private static final int SOURCE_TASKS = 5;
    /** Small heaps and the C1 compiler only: seven JVMs share the two cores of CI with the broker and this test. */
    private static final String JAVA_OPTS = "-Xms32m -Xmx256m -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Role> roles = new ConcurrentHashMap<>();
    private final List<Role> gateways = new CopyOnWriteArrayList<>();

    private Path work;
    private EmbeddedKafkaBroker broker;
    private SchemaRegistryServer registry;
    private PaymentsSandbox sandbox;
    private Admin admin;
    private Path config;
    private Path mappings;
    private volatile String groupState = "normalizer group not described yet";

    /** One role process: its name, kind and the port it serves (Connect REST or webhooks; none for normalizers). */
    private record Role(String name, String kind, int port, SynclineProcess process) {
    }

    @BeforeAll
    void startCluster() throws IOException {
        // Under target/, not a temporary directory: every role's output and log stay there for a failure's diagnosis.
        Path dir = Path.of("target", "scale-out-it").toAbsolutePath();
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        work = dir;
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).build().start();
        registry = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build().start();
        sandbox = PaymentsSandbox.builder().port(0).startGenerator(false).rateLimitPerSecond(10_000).build().start();
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        // Only the customer mapping: the other mappings would multiply the normalizers' tasks and state stores,
        // which costs CPU this test does not need to make its point.
        mappings = dir.resolve("mappings");
        Files.createDirectories(mappings.resolve("stripe"));
        for (String file : List.of("customer.yaml", "envelopes.yaml")) {
            Files.copy(Path.of(ValidateCommandTest.MAPPINGS, "stripe", file), mappings.resolve("stripe").resolve(file));
        }
        config = dir.resolve("syncline.yaml");
        Files.writeString(config, """
                # One partition count for every raw topic: the normalizer reads them all in one sub-topology, and
                # a raw topic with more partitions than its state stores' changelogs stops every instance.
                gateway:
                  host: 127.0.0.1
                  topic-partitions: 4
                  endpoints:
                    - name: stripe
                      scheme: stripe
                      secrets: [env:STRIPE_WEBHOOK_SECRET]
                      topic: raw.stripe.{/data/object/object}
                      topics: [raw.stripe.customer]
                      fallback-topic: raw.stripe.event
                normalizer:
                  application-id: %s
                  partitions: 4
                """.formatted(APP_ID));
    }

    @AfterAll
    void stopCluster() throws IOException {
        for (Role r : roles.values()) {
            r.process().close();
            keepOutput(r);
        }
        if (admin != null) {
            admin.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private Role start(String name, String kind, int port, List<String> args) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        List<String> command = new ArrayList<>(List.of(kind, "--config", config.toString(), "--data-dir",
                dir.resolve("data").toString(), "--bootstrap-servers", broker.bootstrapServers()));
        command.addAll(args);
        Role role = new Role(name, kind, port, SynclineProcess.start(dist(), dir, command,
                Map.of("SYNCLINE_JAVA_OPTS", JAVA_OPTS, "STRIPE_WEBHOOK_SECRET", SECRET)));
        roles.put(name, role);
        return role;
    }

    private Role worker(String name) throws IOException {
        int port = FreePorts.pick();
        return start(name, "connect-worker", port, List.of("--group-id", GROUP, "--port", String.valueOf(port)));
    }

    private Role normalizer(String name) throws IOException {
        return start(name, "normalizer", 0, List.of("--registry-url", registry.url(), "--mappings",
                mappings.toString(), "--state-dir", work.resolve(name).resolve("state").toString()));
    }

    private Role gateway(String name) throws IOException {
        int port = FreePorts.pick();
        return start(name, "gateway", port, List.of("--port", String.valueOf(port)));
    }

    private static void awaitReady(Role role) {
        String line = switch (role.kind()) {
            case "connect-worker" -> "Kafka Connect worker listening on";
            case "normalizer" -> "normalizer " + APP_ID;
            default -> "Syncline gateway listening on";
        };
        role.process().awaitLine(line, Duration.ofSeconds(240));
    }

    /** Removes roles as a scale-in does: SIGTERM, then each process must end by itself. */
    private void remove(Role... leaving) {
        for (Role role : leaving) {
            role.process().terminate();
        }
        for (Role role : leaving) {
            assertThat(role.process().waitFor(Duration.ofSeconds(60))).as(role.name() + " stops on SIGTERM")
                    .isPresent();
            roles.remove(role.name());
            keepOutput(role);
        }
    }

    private void keepOutput(Role role) {
        try {
            Files.writeString(work.resolve(role.name()).resolve("output.txt"), "--- stdout ---\n"
                    + role.process().stdout() + "--- stderr ---\n" + role.process().stderr());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void workIsRebalancedAcrossProcessesAddedAndRemovedUnderLoadAndNothingIsLost() throws Exception {
        long started = System.nanoTime();
        // All at once; the normalizers create the raw and canonical topics before any load is sent.
        Role n1 = normalizer("normalizer-1");
        Role n2 = normalizer("normalizer-2");
        Role w1 = worker("worker-1");
        Role w2 = worker("worker-2");
        Role w3 = worker("worker-3");
        Role g1 = gateway("gateway-1");
        Role g2 = gateway("gateway-2");
        for (Role r : List.of(n1, n2, w1, w2, w3, g1, g2)) {
            awaitReady(r);
        }
        gateways.addAll(List.of(g1, g2));
        putConnector(w1);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(runningTasksByWorker(w1)).as("all %d tasks RUNNING, each worker with some", SOURCE_TASKS)
                    .containsOnlyKeys(workerId(w1), workerId(w2), workerId(w3))
                    .satisfies(m -> assertThat(m.values().stream().mapToInt(Integer::intValue).sum())
                            .isEqualTo(SOURCE_TASKS));
            assertThat(normalizerAssignment()).as(() -> groupState + ": "
                    + "both normalizers hold raw partitions").hasSize(2)
                    .allSatisfy((member, partitions) -> assertThat(partitions).isNotEmpty());
        });
        System.out.printf("ScaleOutIT: 3 workers, 2 normalizers, 2 gateways ready after %d s%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));

        Load load = new Load();
        load.start();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> load.acknowledged.size() >= 40
                    && load.created.size() >= 20);

            int rawPartitions = admin.describeTopics(List.of("raw.stripe.customer")).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get("raw.stripe.customer").partitions().size();
            // Scale in: one of each leaves while webhooks and polled changes keep coming.
            int acksBefore = load.acknowledged.size();
            gateways.remove(g2); // the load balancer stops sending once the instance goes, as its probe would say
            remove(w3, n2, g2);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertThat(runningTasksByWorker(w1)).as("worker-3's tasks moved to worker-1 and worker-2")
                        .containsOnlyKeys(workerId(w1), workerId(w2))
                        .satisfies(m -> assertThat(m.values().stream().mapToInt(Integer::intValue).sum())
                                .isEqualTo(SOURCE_TASKS));
                assertThat(normalizerAssignment()).as(() -> groupState + ": "
                    + "normalizer-1 holds every raw partition alone")
                        .hasSize(1).allSatisfy((member, partitions) -> assertThat(partitions)
                                .hasSize(rawPartitions));
                assertThat(load.acknowledged.size()).isGreaterThan(acksBefore + 40);
            });

            // Scale out: a new one of each joins and takes a share.
            Role w4 = worker("worker-4");
            Role n3 = normalizer("normalizer-3");
            Role g3 = gateway("gateway-3");
            for (Role r : List.of(w4, n3, g3)) {
                awaitReady(r);
            }
            gateways.add(g3);
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertThat(runningTasksByWorker(w1)).as("worker-4 got tasks; all RUNNING")
                        .containsKey(workerId(w4))
                        .satisfies(m -> assertThat(m.values().stream().mapToInt(Integer::intValue).sum())
                                .isEqualTo(SOURCE_TASKS));
                assertThat(normalizerAssignment()).as(() -> groupState + ": "
                    + "normalizer-3 shares the raw partitions").hasSize(2)
                        .allSatisfy((member, partitions) -> assertThat(partitions).isNotEmpty());
                assertThat(load.acksByGateway.getOrDefault(g3.name(), new AtomicInteger()).get())
                        .as("webhooks acknowledged by gateway-3").isGreaterThanOrEqualTo(20);
            });
            int createdAfterScaleOut = load.created.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.created.size() >= createdAfterScaleOut + 20);
        } finally {
            load.stop();
        }
        assertThat(load.errors).as("load generator errors").isEmpty();
        assertThat(load.pending).as("webhooks no gateway acknowledged").isEmpty();

        Set<String> expected = new java.util.HashSet<>();
        load.acknowledged.forEach(id -> expected.add("stripe:" + id));
        load.created.forEach(id -> expected.add("stripe:" + id));
        Map<String, Integer> seen = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = canonicalConsumer()) {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).pollInSameThread()
                    .untilAsserted(() -> {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                            if (r.value() != null) {
                                seen.merge(r.key(), 1, Integer::sum);
                            }
                        }
                        assertThat(expected).as("ids not (yet) on " + CANONICAL).allMatch(seen::containsKey);
                    });
        }
        Map<String, Integer> twice = seen.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(twice).as("ids written more than once to " + CANONICAL).isEmpty();
        assertThat(seen.keySet()).as("nothing on the canonical topic that was not sent").isEqualTo(expected);
        System.out.printf("ScaleOutIT: %d webhooks (by gateway %s) and %d polled customers, each once on %s; "
                        + "wall time %d s%n", load.acknowledged.size(), load.acksByGateway, load.created.size(),
                CANONICAL, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    /** Signed webhooks round-robin over the live gateways, and customers created in the sandbox, each at a fixed rate. */
    private final class Load {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final Set<String> created = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicInteger> acksByGateway = new ConcurrentHashMap<>();
        final Queue pending = new Queue();
        final List<String> errors = new CopyOnWriteArrayList<>();
        private final AtomicLong next = new AtomicLong();
        private final AtomicLong turn = new AtomicLong();
        private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);

        void start() {
            timer.scheduleAtFixedRate(this::webhook, 0, 40, TimeUnit.MILLISECONDS);
            timer.scheduleAtFixedRate(this::customer, 0, 100, TimeUnit.MILLISECONDS);
        }

        void stop() throws InterruptedException {
            timer.shutdown();
            assertThat(timer.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            // What was refused meanwhile is delivered now, as a provider's retries would.
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                webhook();
                return pending.isEmpty();
            });
        }

        /** Sends the oldest unacknowledged webhook, or a new one; a failed one is retried on the next tick. */
        private void webhook() {
            String id = pending.poll();
            if (id == null) {
                id = "cus_wh" + next.incrementAndGet();
            }
            List<Role> live = List.copyOf(gateways);
            Role target = live.get((int) (turn.getAndIncrement() % live.size()));
            try {
                long now = Instant.now().getEpochSecond();
                byte[] body = ("{\"id\":\"evt_" + id + "\",\"object\":\"event\",\"type\":\"customer.created\","
                        + "\"created\":" + now + ",\"livemode\":false,\"api_version\":\"2024-06-20\",\"data\":"
                        + "{\"object\":{\"id\":\"" + id + "\",\"object\":\"customer\",\"email\":\"" + id
                        + "@example.com\",\"name\":\"Scale Out\",\"created\":" + now + ",\"livemode\":false,"
                        + "\"metadata\":{}}}}").getBytes(StandardCharsets.UTF_8);
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + target.port() + "/webhooks/stripe")).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header(StripeSignature.HEADER, StripeSignature.header(SECRET, body, now))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 == 2) {
                    acknowledged.add(id);
                    acksByGateway.computeIfAbsent(target.name(), k -> new AtomicInteger()).incrementAndGet();
                } else {
                    pending.add(id);
                }
            } catch (IOException e) {
                pending.add(id); // a gateway going away mid-request: the provider retries
            } catch (InterruptedException e) {
                pending.add(id);
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                errors.add(e.toString());
            }
        }

        private void customer() {
            try {
                int n = created.size() + 1;
                String form = "email=" + URLEncoder.encode("polled" + n + "@example.com", StandardCharsets.UTF_8)
                        + "&name=Polled+Customer";
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sandbox.url() + "/v1/customers"))
                        .header("Authorization", "Bearer " + sandbox.apiKey())
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    errors.add("POST /v1/customers: " + r.statusCode() + " " + r.body());
                    return;
                }
                created.add(JSON.readTree(r.body()).path("id").asText());
            } catch (IOException | RuntimeException e) {
                errors.add("POST /v1/customers: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Webhook ids waiting to be sent again. */
    private static final class Queue extends ConcurrentLinkedQueue<String> {
    }

    private void putConnector(Role worker) throws Exception {
        String host = "127.0.0.1:" + sandbox.port();
        Map<String, String> cfg = Map.ofEntries(
                Map.entry("connector.class", "io.syncline.connect.payments.PaymentsSourceConnector"),
                Map.entry("tasks.max", String.valueOf(SOURCE_TASKS)),
                Map.entry("stripe.objects", "customer,charge,payment_intent,invoice,refund"),
                Map.entry("stripe.base.url", "http://" + host),
                Map.entry("auth.bearer.token", sandbox.apiKey()),
                Map.entry("outbound.allow.list", "127.0.0.1"),
                Map.entry("outbound.allow.plain.http", host),
                Map.entry("poll.interval.ms", "500"),
                Map.entry("key.converter", "org.apache.kafka.connect.storage.StringConverter"),
                Map.entry("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter"),
                Map.entry("header.converter", "org.apache.kafka.connect.storage.SimpleHeaderConverter"),
                Map.entry("topic.creation.default.partitions", "4"),
                Map.entry("topic.creation.default.replication.factor", "-1"));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(connectUrl(worker) + "/connectors/"
                        + CONNECTOR + "/config")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(cfg))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    }

    private static String connectUrl(Role worker) {
        return "http://localhost:" + worker.port();
    }

    /** Connect names a worker by its advertised REST address. */
    private static String workerId(Role worker) {
        return "localhost:" + worker.port();
    }

    /** RUNNING tasks of the connector per worker id, as any worker's REST API reports them. */
    private Map<String, Integer> runningTasksByWorker(Role ask) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(connectUrl(ask) + "/connectors/"
                + CONNECTOR + "/status")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Integer> byWorker = new HashMap<>();
        for (JsonNode task : JSON.readTree(r.body()).path("tasks")) {
            if ("RUNNING".equals(task.path("state").asText())) {
                byWorker.merge(task.path("worker_id").asText(), 1, Integer::sum);
            }
        }
        return byWorker;
    }

    /** The normalizer group's members and the raw.stripe.customer partitions each holds. */
    private Map<String, List<Integer>> normalizerAssignment() throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(APP_ID)).all().get(10, TimeUnit.SECONDS)
                .get(APP_ID);
        groupState = "normalizer group " + group.groupState();
        Map<String, List<Integer>> out = new HashMap<>();
        for (MemberDescription m : group.members()) {
            out.put(m.consumerId(), m.assignment().topicPartitions().stream()
                    .filter(tp -> tp.topic().equals("raw.stripe.customer")).map(TopicPartition::partition).sorted()
                    .toList());
        }
        return out;
    }

    private KafkaConsumer<String, byte[]> canonicalConsumer() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                broker.bootstrapServers(), "isolation.level", "read_committed", "enable.auto.commit", "false"),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(CANONICAL).stream()
                .map(p -> new TopicPartition(CANONICAL, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static Path dist() {
        String dir = System.getProperty("syncline.dist");
        assertThat(dir).as("system property syncline.dist, set by the failsafe configuration").isNotBlank();
        return Path.of(dir);
    }
}

package io.syncline.testsupport.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.syncline.kafka.ConnectRestClient;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * What every Syncline sink connector must do in a real Kafka Connect worker, on a real broker, against its target's
 * sandbox over HTTP: start and stop cleanly; refuse bad configurations on the offending key; deliver every canonical
 * change through injected 5xx, 429, timeouts and connection resets without the target applying any change twice and
 * in order per key; put changes the target rejects in the dead-letter topic with their reason; lose nothing across a
 * worker restart mid-stream; and fail its task, naming the credential's key, when the target rejects the credential.
 *
 * <p>A sink's test extends this class and says how to reach its plugin archive, its target and its topics. The
 * worker loads the connector from {@link #pluginPath()}, as a production worker would. One broker and one worker
 * serve the whole class; every test gets a fresh target ({@link #startTarget()}), its own connector name and its own
 * topics ({@code namespace}).
 *
 * <p>The target must record what it applied: a write counts as applied the first time the target sees its
 * idempotency key (the change's event id); a repeated key is answered without applying it again, as Stripe and
 * HubSpot-style APIs do. That is what "no change applied twice" is checked against.
 */
public abstract class SinkConnectorContract extends ConnectorContractFixture {

    /** Faults a target sandbox injects into its answers. */
    public enum Fault {
        /** 500, 502, 503 or 504. */
        SERVER_ERROR,
        /** 429 Too Many Requests with Retry-After. */
        RATE_LIMITED,
        /** No answer within the sink's request timeout (the write may or may not have been applied). */
        TIMEOUT,
        /** The connection is closed without an answer (the write may or may not have been applied). */
        CONNECTION_RESET
    }

    /**
     * One canonical change the contract asks the sink to deliver.
     *
     * @param key the entity's canonical id (the Kafka key), e.g. {@code stripe:cus_c1a2-k3}
     * @param eventId the change's event id: the idempotency key the target sees
     * @param version its source updated-at, epoch milliseconds; increases per key in offset order
     * @param rejectable whether the record is one the target refuses for good (a 4xx), e.g. an invalid e-mail
     */
    public record Change(String key, String eventId, long version, boolean rejectable) {
    }

    /**
     * A write the target applied, in the order it applied them.
     *
     * @param key the entity's canonical id the write came from
     * @param eventId the write's idempotency key
     * @param version the version the write carried
     */
    public record Applied(String key, String eventId, long version) {
    }

    /**
     * A configuration the connector must refuse.
     *
     * @param description what is wrong, for the assertion message
     * @param config the whole config to validate
     * @param key the key the error must be reported on
     * @param message a part of the error message expected on that key
     */
    public record InvalidConfig(String description, Map<String, String> config, String key, String message) {
    }

    /** Connect's dead-letter keys every Syncline sink config needs. */
    public static final String DLQ_TOPIC_KEY = "errors.deadletterqueue.topic.name";

    private static final long BASE_VERSION = 1_714_560_000_000L;

    // ------------------------------------------------------------------ what the sink's test provides

    protected SinkConnectorContract() {
        super("s", "sink-contract-");
    }

    /** Starts what the class needs next to the broker (e.g. the schema registry); called once, before the worker. */
    protected void startSupportServices(String bootstrapServers) {
    }

    /** Stops what {@link #startSupportServices} started; called once, after the worker stopped. */
    protected void stopSupportServices() {
    }

    /** Starts a fresh target sandbox with nothing applied; called before each test. */
    protected abstract void startTarget();

    /** Stops the target sandbox; called after each test. */
    protected abstract void stopTarget();

    /**
     * A working configuration (without {@code name} and {@code connector.class}) against the running target: its
     * topics named after {@code namespace}, dead letters to {@link #dlqTopic(String)} with {@code errors.tolerance=all},
     * the target allow-listed.
     *
     * @param credential the value for {@link #credentialKey()}: a literal or a {@code ${file:...}} reference
     */
    protected abstract Map<String, String> connectorConfig(String namespace, String credential);

    /** The key that holds the target credential, e.g. {@code auth.bearer.token}. */
    protected abstract String credentialKey();

    /** A well-formed credential the running target rejects (401). */
    protected abstract String rejectedCredential();

    /** Writes the changes, in this order, as canonical records to this test's topics. */
    protected abstract void produce(String namespace, List<Change> changes);

    /** What the target applied so far, in the order it applied it. */
    protected abstract List<Applied> applied(String namespace);

    /** Sets the share of target answers with {@code fault} (0 turns it off). */
    protected abstract void injectFault(Fault fault, double ratio);

    /** How many answers so far carried {@code fault}: proves the faults were really served. */
    protected abstract long faultsServed(Fault fault);

    /** Configurations the connector must refuse, each with the key and a part of the message. */
    protected abstract List<InvalidConfig> invalidConfigs(Map<String, String> validConfig);

    /** Entities per test. */
    protected int keys() {
        return 12;
    }

    /** Versions per entity. */
    protected int versionsPerKey() {
        return 4;
    }

    /** How long delivery may take; generous, the machines are shared. */
    protected Duration deliveryTimeout() {
        return Duration.ofSeconds(180);
    }

    @Override
    final void startServices(String bootstrapServers) {
        startSupportServices(bootstrapServers);
    }

    @Override
    final void stopServices() {
        stopSupportServices();
    }

    @Override
    final void startPeer() {
        startTarget();
    }

    @Override
    final void stopPeer() {
        stopTarget();
    }

    // ------------------------------------------------------------------ the contract

    @Test
    void startsRunsAndStopsCleanly() {
        create(credentialReference());
        awaitRunning();
        assertThat(rest.status(connectorName).tasks()).as("tasks of " + connectorName).isNotEmpty();

        rest.deleteConnector(connectorName);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(rest.connectors()).doesNotContain(connectorName));
    }

    /**
     * One test per configuration, named after it, so a failure names its case. A factory, not a parameterized test:
     * the cases are built from the valid configuration, which needs this test's target running (a per-test fixture
     * a parameterized test's arguments are made before).
     */
    @TestFactory
    Stream<DynamicTest> refusesInvalidConfigurationsOnTheOffendingKey() {
        Map<String, String> valid = new LinkedHashMap<>(connectorConfig(namespace, validCredential()));
        valid.put("name", connectorName);
        List<InvalidConfig> cases = new ArrayList<>(invalidConfigs(valid));
        Map<String, String> noDlq = new LinkedHashMap<>(valid);
        noDlq.remove(DLQ_TOPIC_KEY);
        cases.add(new InvalidConfig("no dead-letter topic: rejected changes would be lost", noDlq, DLQ_TOPIC_KEY,
                DLQ_TOPIC_KEY + " is required"));
        return Stream.concat(
                Stream.of(DynamicTest.dynamicTest("a valid configuration passes", () ->
                        assertThat(admin.validate(connectorClass(), valid)).as("errors for a valid configuration")
                                .isEmpty())),
                cases.stream().map(invalid -> DynamicTest.dynamicTest(invalid.description(), () -> {
                    Map<String, List<String>> errors = admin.validate(connectorClass(), invalid.config());
                    assertThat(errors).as(invalid.description() + ": errors by key").containsKey(invalid.key());
                    assertThat(String.join("\n", errors.get(invalid.key())))
                            .as(invalid.description() + ": errors on " + invalid.key()).contains(invalid.message());
                })));
    }

    @Test
    void liveValidationReportsARejectedCredentialOnItsKey() {
        Map<String, List<String>> errors = admin.validate(connectorClass(),
                connectorConfig(namespace, rejectedCredential()));
        assertThat(errors).as("errors by key").containsOnlyKeys(credentialKey());
        assertThat(String.join("\n", errors.get(credentialKey()))).as("the error must not echo the credential")
                .contains("rejected").doesNotContain(rejectedCredential());
    }

    @Test
    void deliversEveryChangeOnceAndInOrderPerKeyThroughServerErrorsRateLimitsTimeoutsAndResets() {
        List<Change> changes = new ArrayList<>(changes(0, keys(), versionsPerKey(), Set.of()));
        produce(namespace, changes);
        injectFault(Fault.SERVER_ERROR, 0.15);
        injectFault(Fault.RATE_LIMITED, 0.15);
        injectFault(Fault.TIMEOUT, 0.05);
        injectFault(Fault.CONNECTION_RESET, 0.05);
        create(credentialReference());
        awaitRunning();

        awaitApplied(changes, "under 15% 5xx, 15% 429, 5% timeouts, 5% resets");
        // Faults are drawn per request, and how many requests a round takes depends on batching and retries: more
        // rounds of newer versions until every kind of fault was served, so the test always covers all four.
        for (int round = 1; round < 8 && !everyFaultServed(); round++) {
            List<Change> more = changes(round * versionsPerKey(), keys(), versionsPerKey(), Set.of());
            produce(namespace, more);
            changes.addAll(more);
            awaitApplied(changes, "round " + (round + 1) + " under the same faults");
        }

        for (Fault fault : Fault.values()) {
            assertThat(faultsServed(fault)).as(fault + " answers served").isPositive();
        }
        assertThat(rest.status(connectorName).tasks()).as("task states after the faults")
                .allMatch(t -> t.state().equals("RUNNING"));
    }

    private boolean everyFaultServed() {
        for (Fault fault : Fault.values()) {
            if (faultsServed(fault) == 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void deadLettersChangesTheTargetRejectsWithTheReasonAndDeliversTheRest() {
        List<Change> changes = changes(0, keys(), 2, Set.of(2, 5, 9));
        produce(namespace, changes);
        create(credentialReference());
        awaitRunning();

        awaitApplied(changes, "with rejected changes among them");
        List<Change> rejected = changes.stream().filter(Change::rejectable).toList();
        AtomicReference<List<RawRecord>> dead = new AtomicReference<>();
        await().atMost(deliveryTimeout()).untilAsserted(() -> {
            dead.set(RawTopics.readAll(bootstrapServers(), List.of(dlqTopic(namespace))));
            assertThat(dead.get()).as("dead letters").hasSize(rejected.size());
        });
        assertThat(dead.get()).extracting(RawRecord::key).as("keys of the dead letters")
                .containsExactlyInAnyOrderElementsOf(rejected.stream().map(Change::key).toList());
        for (RawRecord r : dead.get()) {
            assertThat(r.header("syncline.error.stage")).as("stage").isEqualTo("sink." + connectorName);
            assertThat(r.header("syncline.error.reason")).as("reason").isNotBlank();
            assertThat(r.header("syncline.error.message")).as("message").isNotBlank();
            assertThat(r.header("syncline.error.class")).as("class").isNotBlank();
            assertThat(r.header("syncline.error.http.status")).as("HTTP status").matches("4\\d\\d|207");
            assertThat(r.header("syncline.source.topic")).as("source topic").isNotBlank();
            assertThat(r.header("syncline.first-seen")).as("first seen").isNotBlank();
            assertThat(r.value()).as("the original value").isNotEmpty();
        }
        assertThat(rest.status(connectorName).tasks()).allMatch(t -> t.state().equals("RUNNING"));
    }

    @Test
    void aWorkerRestartMidStreamLosesNothingAndAppliesNothingTwice() {
        List<Change> first = changes(0, keys(), versionsPerKey(), Set.of());
        produce(namespace, first);
        injectFault(Fault.TIMEOUT, 0.05);
        create(credentialReference());
        awaitRunning();
        await().atMost(deliveryTimeout()).until(() -> applied(namespace).size() >= first.size() / 3);

        worker.close();
        List<Change> second = changes(versionsPerKey(), keys(), versionsPerKey(), Set.of());
        produce(namespace, second);
        worker.start();
        awaitRunning();

        List<Change> all = new ArrayList<>(first);
        all.addAll(second);
        awaitApplied(all, "after a worker restart mid-stream");
    }

    @Test
    void failsTheTaskNamingTheCredentialKeyWhenTheTargetRejectsTheCredential() {
        create(credentialReference());
        awaitRunning();

        // The credential is rotated at the target: the file now holds one it rejects. The config still passes
        // validation (it was created with a good one); the restarted task resolves the new value and must fail.
        writeSecret(rejectedCredential());
        admin.restart(connectorName, true, false);
        produce(namespace, changes(0, 2, 1, Set.of()));

        AtomicReference<String> trace = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().untilAsserted(() -> {
            ConnectRestClient.TaskStatus failed = rest.status(connectorName).tasks().stream()
                    .filter(t -> t.state().equals("FAILED")).findFirst().orElseThrow();
            trace.set(failed.trace());
        });
        assertThat(trace.get()).as("the failed task's trace").contains(credentialKey())
                .doesNotContain(rejectedCredential()).doesNotContain(validCredential());
    }

    // ------------------------------------------------------------------ helpers for subclasses' own tests

    /**
     * Changes for keys {@code k0..k<n-1>} of this test, versions {@code fromVersion+1 ..} interleaved across keys
     * (offset order is version order per key); keys whose index is in {@code rejectable} get one rejectable change.
     */
    protected final List<Change> changes(int fromVersion, int keys, int versions, Set<Integer> rejectable) {
        List<Change> out = new ArrayList<>();
        for (int v = fromVersion + 1; v <= fromVersion + versions; v++) {
            for (int k = 0; k < keys; k++) {
                String key = "stripe:cus_" + namespace + "k" + k;
                boolean reject = rejectable.contains(k) && v == fromVersion + 1;
                out.add(new Change(key, "evt_" + namespace + "_k" + k + "_v" + v, BASE_VERSION + v * 1000L, reject));
            }
        }
        return out;
    }

    /**
     * Waits until the target applied every non-rejectable change; then checks that no change was applied twice and
     * that the target applied each key's changes in version order.
     */
    protected final void awaitApplied(List<Change> changes, String when) {
        Set<String> expected = changes.stream().filter(c -> !c.rejectable()).map(Change::eventId)
                .collect(Collectors.toCollection(TreeSet::new));
        AtomicReference<List<Applied>> last = new AtomicReference<>(List.of());
        try {
            await().atMost(deliveryTimeout()).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                failFastOnFailedTask();
                List<Applied> applied = applied(namespace);
                last.set(applied);
                Set<String> seen = applied.stream().map(Applied::eventId).collect(Collectors.toSet());
                assertThat(expected.stream().filter(id -> !seen.contains(id)).toList()).as("changes not applied")
                        .isEmpty();
            });
        } catch (AssertionError | RuntimeException e) {
            System.out.println(connectorName + " " + when + " (FAILED): " + summary(changes, last.get()));
            throw e;
        }
        List<Applied> applied = last.get();
        System.out.println(connectorName + " " + when + ": " + summary(changes, applied));
        Map<String, Long> timesApplied = applied.stream().collect(Collectors.groupingBy(Applied::eventId,
                TreeMap::new, Collectors.counting()));
        assertThat(timesApplied.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("changes applied twice").isEmpty();
        Map<String, List<Long>> versionsByKey = new HashMap<>();
        applied.forEach(a -> versionsByKey.computeIfAbsent(a.key(), k -> new ArrayList<>()).add(a.version()));
        versionsByKey.forEach((key, versions) -> assertThat(versions).as("versions of " + key + " in applied order")
                .isSorted());
        assertThat(changes.stream().filter(Change::rejectable).map(Change::eventId).filter(timesApplied::containsKey)
                .toList()).as("rejectable changes applied").isEmpty();
    }

    private static String summary(List<Change> changes, List<Applied> applied) {
        long distinct = applied.stream().map(Applied::eventId).distinct().count();
        return changes.size() + " changes produced (" + changes.stream().filter(Change::rejectable).count()
                + " rejectable), " + applied.size() + " writes applied, " + distinct + " distinct";
    }

    /** The dead-letter topic of {@code namespace}'s connector: {@code dlq.sink.<namespace>}. */
    protected static String dlqTopic(String namespace) {
        return "dlq.sink." + namespace;
    }
}

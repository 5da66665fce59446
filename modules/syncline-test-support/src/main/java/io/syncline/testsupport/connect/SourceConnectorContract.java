package io.syncline.testsupport.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.syncline.kafka.ConnectRestClient;
import io.syncline.raw.RawHeader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * What every Syncline source connector must do in a real Kafka Connect worker, on a real broker, against its
 * provider's sandbox over HTTP: start and stop cleanly; reject bad configurations on the offending key (statically
 * and live); deliver every object the provider created, checked by id; keep delivering through 429s and 5xx;
 * resume from its committed offsets after a worker restart without losing anything; and fail its task, naming the
 * credential's key, when the provider rejects the credential.
 *
 * <p>A connector's test extends this class and says how to reach its plugin archive, its provider and its topics.
 * The worker loads the connector from {@link #pluginPath()}, as a production worker would; keep the connector's
 * classes off the test classpath so that only the archive can supply them. One broker and one worker serve the whole
 * class; every test gets a fresh provider ({@link #startProvider()}), its own connector name and its own topics
 * ({@code namespace}). Every delivery check prints a {@link DeliveryReport}.
 */
public abstract class SourceConnectorContract extends ConnectorContractFixture {

    /** The header that identifies one change; duplicates are counted on it. */
    public static final String EVENT_ID_HEADER = RawHeader.EVENT_ID.key();
    /** The headers every raw record carries, whoever wrote it (the raw-record contract, {@link RawHeader}). */
    public static final List<String> RAW_HEADERS =
            RawHeader.onEveryRecordHeaders().stream().map(RawHeader::key).toList();

    /** Faults a provider sandbox injects into its API answers. */
    public enum Fault {
        /** 429 Too Many Requests (with the provider's Retry-After). */
        RATE_LIMITED,
        /** 500, 502, 503 or 504. */
        SERVER_ERROR
    }

    /**
     * A configuration the connector must refuse.
     *
     * @param description what is wrong, for the assertion message
     * @param config the whole config to validate
     * @param key the key the error must be reported on
     * @param message the exact error message expected on that key
     */
    public record InvalidConfig(String description, Map<String, String> config, String key, String message) {
    }

    // ------------------------------------------------------------------ what the connector's test provides

    protected SourceConnectorContract() {
        super("c", "contract-");
    }

    /** Starts a fresh provider sandbox with no data; called before each test. */
    protected abstract void startProvider();

    /** Stops the provider sandbox; called after each test. */
    protected abstract void stopProvider();

    /**
     * A working configuration (without {@code name} and {@code connector.class}) against the running provider.
     *
     * @param namespace a short word unique to the test: topics must be named after it so tests do not share them
     * @param credential the value for {@link #credentialKey()}: a literal or a {@code ${file:...}} reference
     */
    protected abstract Map<String, String> connectorConfig(String namespace, String credential);

    /** The key that holds the provider credential, e.g. {@code auth.bearer.token}. */
    protected abstract String credentialKey();

    /** A well-formed credential the running provider rejects (401). */
    protected abstract String rejectedCredential();

    /** Makes the provider create {@code units} of activity (objects created, changed, deleted). */
    protected abstract void generateActivity(int units);

    /**
     * The ids the connector must deliver, by topic, for everything the provider created so far. Called repeatedly
     * while waiting; a connector whose guarantees leave some object out (say, one deleted before a backfill) must
     * leave it out here and say why in its own docs.
     */
    protected abstract Map<String, Set<String>> expectedIdsByTopic(String namespace);

    /** Sets the share of API requests answered with {@code fault} (0 turns it off). */
    protected abstract void injectFault(Fault fault, double ratio);

    /** How many API answers so far carried {@code fault}: proves the faults were really served. */
    protected abstract long faultsServed(Fault fault);

    /** Configurations the connector must refuse, each with the key and the exact message. */
    protected abstract List<InvalidConfig> invalidConfigs(Map<String, String> validConfig);

    /** Units of activity per test; small enough for a shared two-core machine. */
    protected int activityUnits() {
        return 60;
    }

    /** Whether the connector declares exactly-once support: then a graceful restart must deliver no duplicate. */
    protected boolean exactlyOnce() {
        return true;
    }

    /** How long delivery may take; generous, the machines are shared. */
    protected Duration deliveryTimeout() {
        return Duration.ofSeconds(180);
    }

    @Override
    final void startPeer() {
        startProvider();
    }

    @Override
    final void stopPeer() {
        stopProvider();
    }

    // ------------------------------------------------------------------ the contract

    @Test
    void startsRunsAndStopsCleanly() {
        assertThat(rest.statuses()).as("no connector left over from another test").noneMatch(
                s -> s.name().equals(connectorName));
        create(credentialReference());
        awaitRunning();
        assertThat(rest.status(connectorName).tasks()).as("tasks of " + connectorName).isNotEmpty();

        rest.deleteConnector(connectorName);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(rest.connectors()).doesNotContain(connectorName));
    }

    /**
     * One test per configuration, named after it, so a failure names its case. A factory, not a parameterized test:
     * the cases are built from the valid configuration, which needs this test's provider running (a per-test fixture
     * a parameterized test's arguments are made before).
     */
    @TestFactory
    Stream<DynamicTest> refusesInvalidConfigurationsOnTheOffendingKey() {
        Map<String, String> valid = connectorConfig(namespace, validCredential());
        return Stream.concat(
                Stream.of(DynamicTest.dynamicTest("a valid configuration passes", () ->
                        assertThat(admin.validate(connectorClass(), valid)).as("errors for a valid configuration")
                                .isEmpty())),
                invalidConfigs(valid).stream().map(invalid -> DynamicTest.dynamicTest(invalid.description(), () -> {
                    Map<String, List<String>> errors = admin.validate(connectorClass(), invalid.config());
                    assertThat(errors).as(invalid.description() + ": errors by key").containsKey(invalid.key());
                    assertThat(errors.get(invalid.key())).as(invalid.description() + ": errors on " + invalid.key())
                            .contains(invalid.message());
                })));
    }

    @Test
    void liveValidationReportsARejectedCredentialOnItsKey() {
        Map<String, List<String>> errors = admin.validate(connectorClass(),
                connectorConfig(namespace, rejectedCredential()));
        assertThat(errors).as("errors by key").containsOnlyKeys(credentialKey());
        assertThat(String.join("\n", errors.get(credentialKey()))).as("the error must not echo the credential")
                .doesNotContain(rejectedCredential());
    }

    @Test
    void deliversEveryObjectAndResumesFromItsOffsetsAfterAWorkerRestart() {
        generateActivity(activityUnits());
        create(credentialReference());
        awaitRunning();
        DeliveryReport first = awaitEverythingDelivered("before the restart");
        assertEveryRecordCarriesTheRawHeaders();

        worker.close();
        generateActivity(activityUnits());
        worker.start();
        awaitRunning();
        DeliveryReport second = awaitEverythingDelivered("after the worker restart");

        if (exactlyOnce()) {
            assertThat(second.duplicates()).as("duplicates after a graceful restart with exactly-once support: "
                    + second.summary()).isZero();
        } else {
            assertThat(second.duplicates()).as("a connector that resumed from its offsets repeats little: "
                    + second.summary()).isLessThan(first.received());
        }
    }

    @Test
    void keepsDeliveringThroughRateLimitsAndServerErrors() {
        generateActivity(activityUnits());
        injectFault(Fault.RATE_LIMITED, 0.25);
        injectFault(Fault.SERVER_ERROR, 0.2);
        create(credentialReference());
        awaitRunning();
        awaitEverythingDelivered("under 25% 429s and 20% 5xx");
        assertThat(faultsServed(Fault.RATE_LIMITED)).as("429s served").isPositive();
        assertThat(faultsServed(Fault.SERVER_ERROR)).as("5xx served").isPositive();
        assertThat(rest.status(connectorName).tasks()).as("task states after the faults")
                .allMatch(t -> t.state().equals("RUNNING"));
    }

    @Test
    void failsTheTaskNamingTheCredentialKeyWhenTheProviderRejectsTheCredential() {
        create(credentialReference());
        awaitRunning();

        // The credential is rotated at the provider: the file now holds a key it rejects. The config still passes
        // validation (it was created with a good key); the restarted task resolves the new value and must fail.
        writeSecret(rejectedCredential());
        admin.restart(connectorName, true, false);

        AtomicReference<String> trace = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
            ConnectRestClient.TaskStatus failed = rest.status(connectorName).tasks().stream()
                    .filter(t -> t.state().equals("FAILED")).findFirst().orElseThrow();
            trace.set(failed.trace());
        });
        assertThat(trace.get()).as("the failed task's trace").contains(credentialKey())
                .doesNotContain(rejectedCredential()).doesNotContain(validCredential());
    }

    // ------------------------------------------------------------------ helpers for subclasses' own tests

    /** Every record of this test's topics. */
    protected final List<RawRecord> records() {
        return RawTopics.readAll(bootstrapServers(), expectedIdsByTopic(namespace).keySet());
    }

    /**
     * Waits until every expected id is in its topic, then prints and returns the report; fails with the report when
     * ids are still missing at the deadline or a task failed.
     */
    protected final DeliveryReport awaitEverythingDelivered(String when) {
        AtomicReference<DeliveryReport> last = new AtomicReference<>();
        try {
            await().atMost(deliveryTimeout()).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                failFastOnFailedTask();
                DeliveryReport report = DeliveryReport.of(expectedIdsByTopic(namespace), records(), EVENT_ID_HEADER);
                last.set(report);
                assertThat(report.missingCount()).as("missing ids").isZero();
            });
        } catch (AssertionError | RuntimeException e) {
            if (last.get() != null) {
                last.get().print(connectorName + " " + when + " (FAILED)");
            }
            throw e;
        }
        DeliveryReport report = last.get().print(connectorName + " " + when);
        assertThat(report.withoutKey()).as("records without a key").isZero();
        assertThat(report.withoutEventId()).as("records without " + EVENT_ID_HEADER).isZero();
        return report;
    }

    /** Every record of this test's topics carries the four raw headers. */
    protected final void assertEveryRecordCarriesTheRawHeaders() {
        List<String> problems = new ArrayList<>();
        for (RawRecord r : records()) {
            for (String h : RAW_HEADERS) {
                String v = r.header(h);
                if (v == null || v.isBlank()) {
                    problems.add(r.topic() + "/" + r.partition() + "@" + r.offset() + " lacks " + h);
                }
            }
        }
        assertThat(problems).as("records without the raw headers").isEmpty();
    }
}

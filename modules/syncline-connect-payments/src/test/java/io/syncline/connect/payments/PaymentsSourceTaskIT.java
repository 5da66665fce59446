package io.syncline.connect.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.raw.RawHeader;
import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.core.RequestRecord;
import io.syncline.sandbox.payments.PaymentsSandbox;
import io.syncline.testsupport.connect.SourceTaskHarness;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PaymentsSourceTask} against the real payments sandbox over HTTP, driven as a worker drives it (see
 * {@link SourceTaskHarness}): backfill then events, paging, restarts mid-backfill and mid-events, a burst of events in
 * one second, faults of every kind, and the failures that must stop the task. Every check is by id.
 */
class PaymentsSourceTaskIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TYPES = Arrays.stream(StripeObject.values()).map(StripeObject::apiName).toList();

    private PaymentsSandbox sandbox;
    private SourceTaskHarness<PaymentsSourceTask> harness;

    /** A worker-less runner of this connector's task (the shared one every source's task tests use). */
    private static SourceTaskHarness<PaymentsSourceTask> newHarness() {
        return new SourceTaskHarness<>(PaymentsSourceTask::new);
    }

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private PaymentsSandbox sandbox(PaymentsSandbox.Builder builder) {
        sandbox = builder.port(0).rateLimitPerSecond(0).apiKey("sk_test_task_it").build().start();
        return sandbox;
    }

    /**
     * A sandbox whose first {@code steps} of activity happened an hour ago: the backfill (which lists objects created
     * up to the server's clock minus ten seconds) sees them. Afterwards the sandbox clock runs with the real one,
     * which the server's Date header shows.
     */
    private PaymentsSandbox sandboxWithHistory(long seed, int steps) {
        MutableClock clock = MutableClock.system();
        clock.advance(Duration.ofHours(-1));
        sandbox(PaymentsSandbox.builder().seed(seed).clock(clock));
        sandbox.generator().runSteps(steps);
        clock.advance(Duration.ofHours(1));
        return sandbox;
    }

    private Map<String, String> config(String objects, Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>();
        p.put("name", "payments-task-it");
        p.put(PaymentsSourceConfig.BASE_URL, sandbox.url());
        p.put(PaymentsSourceConfig.API_KEY, sandbox.apiKey());
        p.put(OutboundHttpConfig.ALLOW_LIST, "127.0.0.1");
        p.put(OutboundHttpConfig.ALLOW_PLAIN_HTTP, "127.0.0.1");
        p.put(PaymentsSourceConfig.POLL_INTERVAL_MS, "200");
        p.put(PaymentsSourceConfig.PAGE_SIZE, "7");
        p.put(OutboundHttpConfig.RATE_PER_SECOND, "1000");
        p.put(OutboundHttpConfig.RATE_BURST, "1000");
        p.put(OutboundHttpConfig.RETRY_BACKOFF_INITIAL_MS, "20");
        p.put(OutboundHttpConfig.RETRY_BACKOFF_MAX_MS, "200");
        p.put(PaymentsSourceConfig.OBJECTS, objects);
        p.put(PaymentsSourceConfig.TASK_OBJECTS, objects);
        p.putAll(overrides);
        return p;
    }

    // ------------------------------------------------------------------ record helpers

    private static String header(SourceRecord r, String name) {
        return (String) r.headers().lastWithName(name).value();
    }

    private static boolean isSnapshot(SourceRecord r) {
        return header(r, RawHeader.EVENT_ID.key()).contains("@backfill:");
    }

    /** t0 of the backfill, read from a snapshot's event id. */
    private static long t0(List<SourceRecord> records) {
        String id = records.stream().filter(PaymentsSourceTaskIT::isSnapshot).findFirst().map(r -> header(r,
                RawHeader.EVENT_ID.key())).orElseThrow();
        return Long.parseLong(id.substring(id.indexOf("@backfill:") + 10));
    }

    private static Map<String, Set<String>> keysByTopic(List<SourceRecord> records) {
        Map<String, Set<String>> out = new TreeMap<>();
        records.forEach(r -> out.computeIfAbsent(r.topic(), t -> new TreeSet<>()).add((String) r.key()));
        return out;
    }

    /** Records that repeat an (topic, event id) already delivered. */
    private static int duplicates(List<SourceRecord> records) {
        Set<String> seen = new HashSet<>();
        int dup = 0;
        for (SourceRecord r : records) {
            if (!seen.add(r.topic() + "|" + header(r, RawHeader.EVENT_ID.key()))) {
                dup++;
            }
        }
        return dup;
    }

    /**
     * Every object of the synced types the sandbox created, by topic, except customers deleted before the backfill's
     * t0: Stripe lists do not return deleted objects and their events precede the events cursor (documented).
     */
    private Map<String, Set<String>> expected(long t0) {
        Set<String> deletedBefore = sandbox.events().stream()
                .filter(e -> e.path("type").asText().equals("customer.deleted") && e.path("created").asLong() < t0)
                .map(e -> e.path("data").path("object").path("id").asText())
                .collect(Collectors.toSet());
        Map<String, Set<String>> out = new TreeMap<>();
        for (String type : TYPES) {
            Set<String> ids = new TreeSet<>(sandbox.objectIds(type));
            ids.removeAll(deletedBefore);
            out.put("raw.stripe." + type, ids);
        }
        return out;
    }

    private static Predicate<List<SourceRecord>> deliversAll(java.util.function.Supplier<Map<String, Set<String>>> want) {
        return records -> {
            if (records.stream().noneMatch(PaymentsSourceTaskIT::isSnapshot)) {
                return false;
            }
            Map<String, Set<String>> have = keysByTopic(records);
            return want.get().entrySet().stream().allMatch(e -> have.getOrDefault(e.getKey(), Set.of())
                    .containsAll(e.getValue()));
        };
    }

    private Predicate<List<SourceRecord>> allEventsSince(long second) {
        return records -> {
            Set<String> have = records.stream().map(r -> header(r, RawHeader.EVENT_ID.key())).collect(Collectors.toSet());
            return syncedEventIds(second).stream().allMatch(have::contains);
        };
    }

    /** Ids of the sandbox's events of the synced types created at or after {@code second}. */
    private Set<String> syncedEventIds(long second) {
        Set<String> types = Arrays.stream(StripeObject.values()).flatMap(o -> o.eventTypes().stream())
                .collect(Collectors.toSet());
        return sandbox.events().stream()
                .filter(e -> e.path("created").asLong() >= second && types.contains(e.path("type").asText()))
                .map(e -> e.path("id").asText()).collect(Collectors.toCollection(TreeSet::new));
    }

    // ------------------------------------------------------------------ tests

    @Test
    void backfillsEveryObjectThenFollowsEveryEventWithoutGapsOrRepeats() throws Exception {
        sandboxWithHistory(7, 120);
        harness = newHarness().start(config(String.join(",", TYPES), Map.of()));

        List<SourceRecord> records = harness.pollUntil(r -> r.stream().anyMatch(PaymentsSourceTaskIT::isSnapshot)
                && deliversAll(() -> expected(t0(r))).test(r), WAIT);
        long t0 = t0(records);
        assertThat(keysByTopic(records)).containsOnlyKeys(expected(t0).keySet());

        sandbox.generator().runSteps(60);
        records = harness.pollUntil(allEventsSince(t0).and(deliversAll(() -> expected(t0))), WAIT);

        assertThat(duplicates(records)).as("repeated (topic, event id)").isZero();
        for (SourceRecord r : records) {
            JsonNode value = JSON.readTree((byte[]) r.value());
            String type = r.topic().substring("raw.stripe.".length());
            if (isSnapshot(r)) {
                assertThat(value.path("id").asText()).isEqualTo(r.key());
                assertThat(value.path("object").asText()).isEqualTo(type);
                assertThat(value.path("created").asLong()).isLessThanOrEqualTo(t0);
            } else {
                assertThat(value.path("object").asText()).isEqualTo("event");
                assertThat(value.path("id").asText()).isEqualTo(header(r, RawHeader.EVENT_ID.key()));
                assertThat(value.path("data").path("object").path("id").asText()).isEqualTo(r.key());
                assertThat(value.path("data").path("object").path("object").asText()).isEqualTo(type);
                assertThat(value.path("created").asLong()).isGreaterThanOrEqualTo(t0);
            }
            assertThat(header(r, RawHeader.SOURCE.key())).isEqualTo("stripe-api:payments-task-it");
            assertThat(Long.parseLong(header(r, RawHeader.RECEIVED_AT.key()))).isPositive();
            assertThat(header(r, RawHeader.TRACE_ID.key())).matches("[0-9a-f]{32}");
        }
        // Events per object arrive oldest first.
        Map<String, Long> lastCreated = new HashMap<>();
        for (SourceRecord r : records) {
            if (!isSnapshot(r)) {
                long created = JSON.readTree((byte[]) r.value()).path("created").asLong();
                assertThat(created).isGreaterThanOrEqualTo(lastCreated.getOrDefault(r.topic(), 0L));
                lastCreated.put(r.topic(), created);
            }
        }
    }

    @Test
    void aRestartMidBackfillResumesAfterTheLastDeliveredObject() throws Exception {
        sandboxWithHistory(11, 150);
        int charges = sandbox.objectIds("charge").size();
        assertThat(charges).as("charges in the sandbox").isGreaterThan(20);
        harness = newHarness().start(config("charge", Map.of(PaymentsSourceConfig.PAGE_SIZE, "5")));

        harness.pollUntil(r -> r.size() >= 15, WAIT);
        String lastBeforeRestart = (String) harness.delivered().get(harness.delivered().size() - 1).key();
        sandbox.requestLog().clear();
        harness.restart();

        List<SourceRecord> records = harness.pollUntil(r -> keysByTopic(r).getOrDefault("raw.stripe.charge", Set.of())
                .containsAll(sandbox.objectIds("charge")), WAIT);

        assertThat(duplicates(records)).as("snapshots delivered twice").isZero();
        List<RequestRecord> lists = sandbox.requestLog().records(q -> q.path().equals("/v1/charges"));
        assertThat(lists).isNotEmpty();
        assertThat(lists.get(0).query()).as("the first page after the restart")
                .contains("starting_after=" + lastBeforeRestart);
    }

    @Test
    void aBurstOfEventsInOneSecondIsDeliveredOnceEachAcrossARestart() throws Exception {
        // created comes from the sandbox clock, standing still: every event below shares one second. The connector
        // reads the server's Date header (the real clock) for its start, so the frozen second lies just ahead.
        Instant frozen = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        MutableClock clock = MutableClock.fixedAt(frozen);
        sandbox(PaymentsSandbox.builder().seed(3).clock(clock));
        harness = newHarness().start(config(String.join(",", TYPES),
                Map.of(PaymentsSourceConfig.BACKFILL_START, "none", PaymentsSourceConfig.PAGE_SIZE, "25")));
        // The first poll fixes the start of each stream (no records yet).
        harness.pollOnce();

        sandbox.generator().runSteps(900);
        Set<String> burst = syncedEventIds(frozen.getEpochSecond());
        assertThat(burst).as("events in the frozen second").hasSizeGreaterThan(1_000);

        // At most 1000 events per type and reading: the largest type needs several readings; restart after one.
        harness.pollUntil(r -> r.size() >= 500, WAIT);
        int beforeRestart = harness.delivered().size();
        harness.restart();
        List<SourceRecord> records = harness.pollUntil(allEventsSince(frozen.getEpochSecond()), WAIT);

        assertThat(records.size()).isGreaterThan(beforeRestart);
        assertThat(duplicates(records)).as("events delivered twice").isZero();
        assertThat(records).extracting(r -> header(r, RawHeader.EVENT_ID.key())).containsExactlyInAnyOrderElementsOf(burst);

        // The next second: only what is new.
        clock.advance(Duration.ofSeconds(1));
        sandbox.generator().runSteps(20);
        records = harness.pollUntil(allEventsSince(frozen.getEpochSecond()), WAIT);
        assertThat(duplicates(records)).isZero();
    }

    @Test
    void keepsEveryObjectThroughRateLimitsServerErrorsResetsTimeoutsLatencyAndMalformedBodies() throws Exception {
        sandboxWithHistory(5, 100);
        sandbox.faults().rateLimitRatio(0.15).serverErrorRatio(0.15).connectionResetRatio(0.05).malformedRatio(0.1)
                .latency(2, 8).timeoutRatio(0.02).timeoutMs(1_500);
        harness = newHarness().start(config(String.join(",", TYPES),
                Map.of(OutboundHttpConfig.REQUEST_TIMEOUT_MS, "1000")));

        harness.pollUntil(r -> r.stream().anyMatch(PaymentsSourceTaskIT::isSnapshot), WAIT);
        long t0 = t0(harness.delivered());
        sandbox.generator().runSteps(50);
        List<SourceRecord> records = harness.pollUntil(allEventsSince(t0).and(deliversAll(() -> expected(t0))), WAIT);

        Map<String, Long> faults = sandbox.requestLog().records().stream().filter(q -> q.fault() != null)
                .collect(Collectors.groupingBy(RequestRecord::fault, TreeMap::new, Collectors.counting()));
        System.out.println("[task IT] faults served: " + faults + "; records " + records.size() + ", duplicates "
                + duplicates(records));
        assertThat(faults).containsKeys("rate_limit", "server_error", "connection_reset", "malformed");
        assertThat(duplicates(records)).as("repeated (topic, event id)").isZero();
    }

    @Test
    void aRejectedKeyStopsTheTaskNamingTheKeyWithoutShowingIt() {
        sandbox(PaymentsSandbox.builder());
        harness = newHarness().start(config("charge", Map.of(PaymentsSourceConfig.API_KEY, "sk_test_revoked")));
        assertThatThrownBy(() -> harness.pollUntil(r -> false, WAIT))
                .isInstanceOf(ConnectException.class)
                .hasMessageStartingWith("Stripe rejected the API key while syncing charge: fix 'auth.bearer.token'")
                .hasMessageNotContaining("sk_test_revoked");
    }

    @Test
    void anInternalAddressMustBeAllowListed() {
        sandbox(PaymentsSandbox.builder());
        // Refused when the task starts, before any call: the same check validate() makes.
        assertThatThrownBy(() -> newHarness().start(config("charge", Map.of(OutboundHttpConfig.ALLOW_LIST, ""))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("refusing stripe.base.url " + sandbox.url() + ": 127.0.0.1 is an internal "
                        + "address (loopback); add it to connector key 'outbound.allow.list'");
    }

    @Test
    void aCursorOlderThanStripeKeepsEventsStartsANewBackfill() throws Exception {
        sandboxWithHistory(9, 40);
        harness = newHarness();
        long old = Instant.now().minus(Duration.ofDays(31)).getEpochSecond();
        harness.commit(StreamOffset.partition(StripeObject.CUSTOMER),
                new StreamOffset.Incremental(EventCursor.startOf(old)).toMap());
        harness.start(config("customer", Map.of()));

        List<SourceRecord> records = harness.pollUntil(r -> !r.isEmpty(), WAIT);
        assertThat(records).allMatch(PaymentsSourceTaskIT::isSnapshot);
        assertThat(t0(records)).isGreaterThan(old);
        assertThat(new String((byte[]) records.get(0).value(), StandardCharsets.UTF_8)).contains("\"object\"");
    }
}

package io.syncline.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryEngineTest {

    private static final String TOPIC = "canonical.test.v1";

    private final OffsetTracker tracker = new OffsetTracker();
    private final DeliveryStats stats = new DeliveryStats();
    private DeliveryEngine engine;

    @AfterEach
    void stop() throws InterruptedException {
        if (engine != null) {
            engine.close();
            engine.awaitTermination(Duration.ofSeconds(10));
        }
    }

    private static SinkRecord record(int partition, long offset, String key) {
        return new SinkRecord(TOPIC, partition, Schema.STRING_SCHEMA, key, null, "v", offset);
    }

    private static Change change(SinkRecord record, String key, boolean batchable, int bytes) {
        return Change.builder(record).orderingKey(key).idempotencyKey(key + "@" + record.kafkaOffset())
                .request("POST", "https://target.example/items").body(new byte[bytes]).batchable(batchable)
                .build();
    }

    private void submit(Change c) {
        c.records().forEach(tracker::register);
        engine.submit(c);
    }

    /**
     * A deliverer that takes a little while per request and records, per key, whether two of its changes were ever in
     * flight at once and the offsets in the order they were delivered.
     */
    private static final class KeyOrderProbe implements Deliverer {
        final Map<String, AtomicInteger> inFlightPerKey = new ConcurrentHashMap<>();
        final Map<String, List<Long>> seen = new ConcurrentHashMap<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger overlapsOfOneKey = new AtomicInteger();
        final AtomicInteger batchesOfMoreThanOne = new AtomicInteger();

        @Override
        public List<Outcome> deliver(List<Change> batch) {
            if (batch.size() > 1) {
                batchesOfMoreThanOne.incrementAndGet();
            }
            for (Change c : batch) {
                if (inFlightPerKey.computeIfAbsent(c.orderingKey(), k -> new AtomicInteger()).incrementAndGet() > 1) {
                    overlapsOfOneKey.incrementAndGet();
                }
            }
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextInt(50, 400)));
            for (Change c : batch) {
                seen.computeIfAbsent(c.orderingKey(), k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(c.records().get(0).kafkaOffset());
                inFlightPerKey.get(c.orderingKey()).decrementAndGet();
            }
            inFlight.decrementAndGet();
            return batch.stream().map(c -> Outcome.delivered()).toList();
        }

        void assertEachKeyInOrder(int changesPerKey) {
            assertThat(overlapsOfOneKey.get()).as("changes of one key in flight at once").isZero();
            seen.forEach((key, offsets) -> assertThat(offsets).as(key).isSorted().hasSize(changesPerKey));
        }
    }

    @Test
    void changesOfOneKeyGoOutOneAtATimeInOrderWhileKeysRunConcurrently() throws InterruptedException {
        KeyOrderProbe probe = new KeyOrderProbe();
        engine = new DeliveryEngine(new DeliveryEngine.Settings("order", 6, 1, 1000, Duration.ZERO), probe, tracker,
                stats);

        long offset = 0;
        for (int round = 0; round < 20; round++) {
            for (int k = 0; k < 40; k++) {
                submit(change(record(k % 3, offset++, "key-" + k), "key-" + k, false, 10));
            }
        }

        assertThat(engine.awaitIdle(Duration.ofSeconds(60))).isTrue();
        assertThat(stats.delivered()).isEqualTo(800);
        probe.assertEachKeyInOrder(20);
        assertThat(probe.maxInFlight.get()).as("lanes ran concurrently").isGreaterThan(1);
        assertThat(tracker.pendingCount()).isZero();
    }

    @Test
    void aKeyThatKeepsFailingHoldsUpOnlyItself() {
        CountDownLatch release = new CountDownLatch(1);
        List<String> delivered = new CopyOnWriteArrayList<>();
        engine = new DeliveryEngine(new DeliveryEngine.Settings("retrying", 2, 1, 1000, Duration.ZERO), batch -> {
            Change c = batch.get(0);
            if (c.orderingKey().equals("stuck")) {
                // Stands for a change whose retries are still going on inside the HTTP client.
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            delivered.add(c.idempotencyKey());
            return List.of(Outcome.delivered());
        }, tracker, stats);
        List<String> otherKeys = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            otherKeys.add("k" + i);
        }

        submit(change(record(0, 0, "stuck"), "stuck", false, 1));
        submit(change(record(0, 1, "stuck"), "stuck", false, 1));
        long offset = 2;
        for (String key : otherKeys) {
            submit(change(record(1, offset++, key), key, false, 1));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == otherKeys.size());
        assertThat(delivered).doesNotContain("stuck@0", "stuck@1");
        // Partition 0 is held at the stuck change; partition 1 is committed in full.
        Map<TopicPartition, OffsetAndMetadata> safe = tracker.safeOffsets(Map.of(
                new TopicPartition(TOPIC, 0), new OffsetAndMetadata(2), new TopicPartition(TOPIC, 1),
                new OffsetAndMetadata(offset)));
        assertThat(safe.get(new TopicPartition(TOPIC, 0)).offset()).isZero();
        assertThat(safe.get(new TopicPartition(TOPIC, 1)).offset()).isEqualTo(offset);

        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == otherKeys.size() + 2);
        assertThat(delivered.indexOf("stuck@0")).isLessThan(delivered.indexOf("stuck@1"));
    }

    @Test
    void batchesOfSeveralLanesNeverHoldOneKeyAtOnceAndKeepEachKeyInOrder() throws InterruptedException {
        KeyOrderProbe probe = new KeyOrderProbe();
        engine = new DeliveryEngine(new DeliveryEngine.Settings("batched-order", 4, 8, 100_000,
                Duration.ofMillis(2)), probe, tracker, stats);

        long offset = 0;
        for (int round = 0; round < 25; round++) {
            for (int k = 0; k < 16; k++) {
                submit(change(record(k % 3, offset++, "key-" + k), "key-" + k, true, 10));
            }
        }

        assertThat(engine.awaitIdle(Duration.ofSeconds(60))).isTrue();
        assertThat(stats.delivered()).isEqualTo(400);
        probe.assertEachKeyInOrder(25);
        assertThat(probe.batchesOfMoreThanOne.get()).as("batches formed").isPositive();
        assertThat(tracker.pendingCount()).isZero();
    }

    /**
     * Under a rate limit, changes that arrive while no permit is free all go out with the next permit, in one request
     * of one lane, not in one request per lane (which would make each change wait one permit interval per lane).
     */
    @Test
    void changesThatArriveWhileWaitingForAPermitAllGoInTheNextRequest() throws InterruptedException {
        AtomicBoolean permitFree = new AtomicBoolean();
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        engine = new DeliveryEngine(new DeliveryEngine.Settings("paced", 4, 100, 1_000_000, Duration.ZERO),
                new Deliverer() {
                    @Override
                    public List<Outcome> deliver(List<Change> batch) {
                        batches.add(batch.stream().map(Change::idempotencyKey).toList());
                        return batch.stream().map(c -> Outcome.delivered()).toList();
                    }

                    @Override
                    public Duration untilPermit(Change change) {
                        return permitFree.get() ? Duration.ZERO : Duration.ofMillis(5);
                    }
                }, tracker, stats);
        for (int i = 0; i < 40; i++) {
            submit(change(record(i % 4, i, "key-" + i), "key-" + i, true, 10));
        }
        assertThat(engine.awaitIdle(Duration.ofMillis(200))).as("nothing goes out without a permit").isFalse();
        assertThat(batches).isEmpty();

        permitFree.set(true);

        assertThat(engine.awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(batches).singleElement().asList().hasSize(40);
    }

    @Test
    void aRevokeTakesItsChangesOutOfABatchThatIsStillFilling() throws InterruptedException {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        engine = new DeliveryEngine(new DeliveryEngine.Settings("revoke-filling", 1, 3, 1000, Duration.ofSeconds(60)),
                batch -> {
                    batches.add(batch.stream().map(Change::idempotencyKey).toList());
                    return batch.stream().map(c -> Outcome.delivered()).toList();
                }, tracker, stats);
        submit(change(record(0, 0, "a"), "a", true, 1));
        submit(change(record(1, 0, "c"), "c", true, 1));

        assertThat(engine.revoke(List.of(new TopicPartition(TOPIC, 0)), Duration.ofSeconds(10))).isTrue();
        submit(change(record(1, 1, "d"), "d", true, 1));
        submit(change(record(1, 2, "e"), "e", true, 1));

        assertThat(engine.awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(batches).containsExactly(List.of("c@0", "d@1", "e@2"));
        assertThat(engine.buffered()).isZero();
    }

    @Test
    void batchesRespectTheirLimitsAndNeverHoldTwoChangesOfOneKey() throws InterruptedException {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        // Every batch here ends on a limit, never on the wait: a long wait keeps the test free of timing.
        engine = new DeliveryEngine(new DeliveryEngine.Settings("batches", 1, 4, 350, Duration.ofSeconds(60)),
                batch -> {
                    try {
                        go.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    batches.add(batch.stream().map(Change::idempotencyKey).toList());
                    return batch.stream().map(c -> Outcome.delivered()).toList();
                }, tracker, stats);

        submit(change(record(0, 0, "a"), "a", true, 100));
        submit(change(record(0, 1, "b"), "b", true, 100));
        submit(change(record(0, 2, "c"), "c", true, 100));
        submit(change(record(0, 3, "b"), "b", true, 100));   // same key as offset 1: next batch
        submit(change(record(0, 4, "d"), "d", true, 100));
        submit(change(record(0, 5, "e"), "e", true, 100));
        submit(change(record(0, 6, "f"), "f", true, 100));
        submit(change(record(0, 7, "g"), "g", true, 100));
        submit(change(record(0, 8, "h"), "h", false, 100)); // not batchable: alone
        go.countDown();

        assertThat(engine.awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(batches).containsExactly(
                List.of("a@0", "b@1", "c@2"),      // b@3 would repeat key b
                List.of("b@3", "d@4", "e@5"),      // 350 bytes: a fourth item would pass max bytes
                List.of("f@6", "g@7"),
                List.of("h@8"));
    }

    @Test
    void deadLettersWaitForTheTaskThreadAndHoldTheirOffsetsUntilThen() {
        engine = new DeliveryEngine(new DeliveryEngine.Settings("dead", 2, 1, 1000, Duration.ZERO),
                batch -> List.of(batch.get(0).orderingKey().equals("bad")
                        ? Outcome.deadLetter(new DeliveryFailure("rejected", "422 Unprocessable", "X", 422, "{}", 1))
                        : Outcome.delivered()), tracker, stats);
        SinkRecord bad = record(0, 0, "bad");
        submit(change(bad, "bad", false, 1));
        submit(change(record(0, 1, "good"), "good", false, 1));

        await().atMost(Duration.ofSeconds(10)).until(() -> stats.delivered() == 1);
        DeadLetter dead = await().atMost(Duration.ofSeconds(10)).until(engine::pollDeadLetter, d -> d != null);
        assertThat(dead.records()).containsExactly(bad);
        assertThat(dead.failure().status()).isEqualTo(422);
        assertThat(tracker.lowestPending(new TopicPartition(TOPIC, 0))).isZero();
        tracker.complete(bad);
        assertThat(tracker.lowestPending(new TopicPartition(TOPIC, 0))).isEqualTo(-1);
    }

    @Test
    void aSkippedOutcomeCompletesItsRecordsAndCountsThemUnderTheReasonNotAsDelivered() {
        engine = new DeliveryEngine(new DeliveryEngine.Settings("skip", 2, 1, 1000, Duration.ZERO),
                batch -> List.of(batch.get(0).orderingKey().equals("absent") ? Outcome.skipped("no-ticket")
                        : Outcome.delivered()), tracker, stats);
        submit(change(record(0, 0, "absent"), "absent", false, 1));
        submit(change(record(0, 1, "present"), "present", false, 1));

        await().atMost(Duration.ofSeconds(10)).until(() -> stats.delivered() + stats.skipped() == 2);
        assertThat(stats.delivered()).isEqualTo(1);
        assertThat(stats.skippedFor("no-ticket")).isEqualTo(1);
        assertThat(tracker.lowestPending(new TopicPartition(TOPIC, 0))).isEqualTo(-1);
        assertThat(engine.pollDeadLetter()).isNull();
    }

    @Test
    void aFatalOutcomeStopsEveryLaneAndLeavesTheRestUnfinished() {
        engine = new DeliveryEngine(new DeliveryEngine.Settings("fatal", 1, 1, 1000, Duration.ZERO),
                batch -> List.of(Outcome.fatal(new DeliveryFailure("auth", "401 even after a token refresh", "X",
                        401, null, 2))), tracker, stats);
        submit(change(record(0, 0, "a"), "a", false, 1));
        submit(change(record(0, 1, "b"), "b", false, 1));

        await().atMost(Duration.ofSeconds(10)).until(() -> engine.fatal().isPresent());
        assertThat(engine.fatal().get().message()).contains("401");
        assertThat(tracker.lowestPending(new TopicPartition(TOPIC, 0))).isZero();
        assertThat(stats.delivered()).isZero();
    }

    /** Stands for an HTTP call that hangs until released; interrupted, it ends CANCELLED as the HTTP client's do. */
    private static Outcome hang(CountDownLatch release) {
        try {
            release.await(60, TimeUnit.SECONDS);
            return Outcome.delivered();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.cancelled();
        }
    }

    @Test
    void revokingPartitionsAbortsTheirRequestsInFlightAndDropsTheirQueuedChanges() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        engine = new DeliveryEngine(new DeliveryEngine.Settings("revoke", 1, 1, 1000, Duration.ZERO), batch -> {
            started.countDown();
            Outcome o = batch.get(0).orderingKey().equals("a") ? hang(release) : Outcome.delivered();
            if (o.kind() == Outcome.Kind.DELIVERED) {
                delivered.add(batch.get(0).idempotencyKey());
            }
            return List.of(o);
        }, tracker, stats);
        submit(change(record(0, 0, "a"), "a", false, 1));
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        submit(change(record(0, 1, "b"), "b", false, 1));
        submit(change(record(1, 0, "c"), "c", false, 1));

        assertThat(engine.revoke(List.of(new TopicPartition(TOPIC, 0)), Duration.ofSeconds(30))).isTrue();

        assertThat(engine.awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(delivered).containsExactly("c@0");
    }

    @Test
    void changesOfPartitionsStillOwnedThatShareAnAbortedBatchAreSentAgain() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        List<List<String>> attempts = new CopyOnWriteArrayList<>();
        engine = new DeliveryEngine(new DeliveryEngine.Settings("requeue", 1, 10, 1000, Duration.ofSeconds(2)),
                batch -> {
                    List<String> keys = batch.stream().map(Change::idempotencyKey).toList();
                    attempts.add(keys);
                    Outcome o = keys.contains("a@0") ? hang(release) : Outcome.delivered();
                    return batch.stream().map(c -> o).toList();
                }, tracker, stats);
        submit(change(record(0, 0, "a"), "a", true, 1));
        submit(change(record(1, 0, "c"), "c", true, 1));
        submit(change(record(1, 1, "c"), "c", true, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.size() == 1);

        assertThat(engine.revoke(List.of(new TopicPartition(TOPIC, 0)), Duration.ofSeconds(30))).isTrue();

        assertThat(engine.awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(attempts).containsExactly(List.of("a@0", "c@0"), List.of("c@0"), List.of("c@1"));
        assertThat(stats.delivered()).isEqualTo(2);
        assertThat(tracker.lowestPending(new TopicPartition(TOPIC, 1))).isEqualTo(-1);
    }

    /**
     * A revoke that cancels a request must not race the lane: were the cancelled change of the revoked partition put
     * back on the queue, the lane could send it again before the revoke drops it, and the revoke would wait on it.
     */
    @Test
    void aCancelledChangeOfARevokedPartitionIsNeverSentAgain() throws InterruptedException {
        for (int round = 0; round < 50; round++) {
            List<String> attempts = new CopyOnWriteArrayList<>();
            CountDownLatch never = new CountDownLatch(1);
            engine = new DeliveryEngine(new DeliveryEngine.Settings("race-" + round, 1, 1, 1000, Duration.ZERO),
                    batch -> {
                        attempts.add(batch.get(0).idempotencyKey());
                        return List.of(hang(never));
                    }, tracker, stats);
            submit(change(record(0, round, "a"), "a", false, 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> attempts.size() == 1);

            assertThat(engine.revoke(List.of(new TopicPartition(TOPIC, 0)), Duration.ofSeconds(10))).isTrue();

            assertThat(engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(attempts).containsExactly("a@" + round);
            engine.close();
            assertThat(engine.awaitTermination(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aBatchPassesOverARepeatedKeyAndKeepsFillingWhileEveryKeyStaysInOrder() throws InterruptedException {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        CountDownLatch submitted = new CountDownLatch(1);
        engine = new DeliveryEngine(new DeliveryEngine.Settings("pass-over", 1, 10, 1000, Duration.ofMillis(500)),
                batch -> {
                    try {
                        submitted.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    batches.add(batch.stream().map(Change::idempotencyKey).toList());
                    return batch.stream().map(c -> Outcome.delivered()).toList();
                }, tracker, stats);
        String[] keys = {"a", "a", "b", "a", "c", "b", "d"};
        for (int i = 0; i < keys.length; i++) {
            submit(change(record(0, i, keys[i]), keys[i], true, 1));
        }
        submitted.countDown();

        assertThat(engine.awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(batches).containsExactly(List.of("a@0", "b@2", "c@4", "d@6"), List.of("a@1", "b@5"),
                List.of("a@3"));
    }
}

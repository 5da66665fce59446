package io.syncline.sandbox.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.testing.HttpTestClient;

/**
 * Cursor paging as a polling connector uses it: every object that existed when the walk began is seen exactly once,
 * whatever is inserted meanwhile, also when many objects share one {@code created} second.
 */
class PaymentsPagingIT {

    private static final String KEY = "sk_test_paging";

    private static List<String> walk(HttpTestClient api, String path, int limit, boolean backwards, String from)
            throws Exception {
        List<String> seen = new ArrayList<>();
        String cursor = from;
        while (true) {
            String sep = path.contains("?") ? "&" : "?";
            String url = path + sep + "limit=" + limit + (cursor == null ? ""
                    : (backwards ? "&ending_before=" : "&starting_after=") + cursor);
            HttpTestClient.Response r = api.get(url);
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            JsonNode page = r.json();
            List<String> ids = new ArrayList<>();
            page.get("data").forEach(o -> ids.add(o.get("id").asText()));
            assertThat(ids.size()).isLessThanOrEqualTo(limit);
            if (backwards) {
                List<String> reversed = new ArrayList<>(ids);
                Collections.reverse(reversed);
                seen.addAll(reversed);
            } else {
                seen.addAll(ids);
            }
            if (!page.get("has_more").asBoolean() || ids.isEmpty()) {
                return seen;
            }
            cursor = backwards ? ids.get(0) : ids.get(ids.size() - 1);
        }
    }

    @ParameterizedTest(name = "all objects in one second: {0}")
    @ValueSource(booleans = {true, false})
    void startingAfterSeesEveryExistingObjectOnceUnderConcurrentInserts(boolean oneSecond) throws Exception {
        Clock clock = oneSecond ? MutableClock.fixedAt(Instant.parse("2026-03-01T12:00:00Z")) : Clock.systemUTC();
        try (PaymentsSandbox stripe = PaymentsSandbox.builder().seed(5).apiKey(KEY).clock(clock)
                .rateLimitPerSecond(0).generatorRate(400).build().start()) {
            stripe.generator().runSteps(400);
            List<String> before = stripe.objectIds("event");
            HttpTestClient api = new HttpTestClient(stripe.url()).bearer(KEY);
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService writer = Executors.newSingleThreadExecutor();
            Future<Integer> writes = writer.submit(() -> {
                int n = 0;
                while (writing.get()) {
                    api.postForm("/v1/customers", "email", "concurrent" + n++ + "@example.com");
                }
                return n;
            });
            stripe.generator().start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> stripe.objectIds("event").size() > before.size());
                List<String> events = walk(api, "/v1/events", 7, false, null);
                assertThat(events).doesNotHaveDuplicates();
                assertThat(events).containsAll(before);
                List<String> charges = walk(api, "/v1/charges", 5, false, null);
                assertThat(charges).doesNotHaveDuplicates();
            } finally {
                stripe.generator().stop();
                writing.set(false);
                assertThat(writes.get()).isPositive();
                writer.shutdown();
                stripe.generator().steps(); // waits for a step still in progress
            }
            // Once quiet, a forward walk returns exactly the store's events, newest first.
            List<String> all = walk(api, "/v1/events", 100, false, null);
            List<String> expected = new ArrayList<>(stripe.objectIds("event"));
            Collections.reverse(expected);
            assertThat(all).isEqualTo(expected);
        }
    }

    @Test
    void endingBeforeWalksBackToTheNewestInTheSameOrder() throws Exception {
        try (PaymentsSandbox stripe = PaymentsSandbox.builder().seed(6).apiKey(KEY)
                .clock(MutableClock.fixedAt(Instant.parse("2026-03-01T12:00:00Z"))).rateLimitPerSecond(0)
                .build().start()) {
            stripe.generator().runSteps(200);
            HttpTestClient api = new HttpTestClient(stripe.url()).bearer(KEY);
            List<String> forward = walk(api, "/v1/events", 9, false, null);
            String oldest = forward.get(forward.size() - 1);
            List<String> backward = walk(api, "/v1/events", 9, true, oldest);
            List<String> expected = new ArrayList<>(forward.subList(0, forward.size() - 1));
            Collections.reverse(expected);
            assertThat(backward).isEqualTo(expected);
        }
    }

    @Test
    void createdFiltersSelectExactlyTheEventsInTheRange() throws Exception {
        MutableClock clock = MutableClock.fixedAt(Instant.parse("2026-03-01T12:00:00Z"));
        try (PaymentsSandbox stripe = PaymentsSandbox.builder().seed(7).apiKey(KEY).clock(clock)
                .rateLimitPerSecond(0).build().start()) {
            for (int i = 0; i < 6; i++) {
                stripe.generator().runSteps(15);
                clock.advance(Duration.ofSeconds(10));
            }
            HttpTestClient api = new HttpTestClient(stripe.url()).bearer(KEY);
            long t0 = Instant.parse("2026-03-01T12:00:00Z").getEpochSecond();
            long from = t0 + 10;
            long to = t0 + 40;
            List<String> expected = new ArrayList<>();
            for (JsonNode e : stripe.events()) {
                long c = e.get("created").asLong();
                if (c >= from && c < to) {
                    expected.add(0, e.get("id").asText());
                }
            }
            assertThat(expected).isNotEmpty();
            assertThat(walk(api, "/v1/events?created[gte]=" + from + "&created[lt]=" + to, 10, false, null))
                    .isEqualTo(expected);
            List<String> gtLte = walk(api, "/v1/events?created[gt]=" + (from - 1) + "&created[lte]=" + (to - 1), 10,
                    false, null);
            assertThat(gtLte).isEqualTo(expected);
            List<String> exact = walk(api, "/v1/events?created=" + from, 100, false, null);
            assertThat(exact).isNotEmpty().allSatisfy(id -> assertThat(stripe.object(id).get("created").asLong())
                    .isEqualTo(from));
        }
    }

    @Test
    void eventTypeFiltersMatchStripe() throws Exception {
        try (PaymentsSandbox stripe = PaymentsSandbox.builder().seed(8).apiKey(KEY).rateLimitPerSecond(0)
                .build().start()) {
            stripe.generator().runSteps(300);
            HttpTestClient api = new HttpTestClient(stripe.url()).bearer(KEY);
            List<String> charges = walk(api, "/v1/events?type=charge.*", 100, false, null);
            List<String> succeededOrRefunded = walk(api,
                    "/v1/events?types[]=charge.succeeded&types[]=charge.refunded", 100, false, null);
            List<String> exact = walk(api, "/v1/events?type=customer.created", 100, false, null);
            List<String> expectedCharges = new ArrayList<>();
            List<String> expectedTwo = new ArrayList<>();
            List<String> expectedExact = new ArrayList<>();
            for (JsonNode e : stripe.events()) {
                String type = e.get("type").asText();
                String id = e.get("id").asText();
                if (type.startsWith("charge.")) {
                    expectedCharges.add(0, id);
                }
                if (type.equals("charge.succeeded") || type.equals("charge.refunded")) {
                    expectedTwo.add(0, id);
                }
                if (type.equals("customer.created")) {
                    expectedExact.add(0, id);
                }
            }
            assertThat(charges).isEqualTo(expectedCharges).isNotEmpty();
            assertThat(succeededOrRefunded).isEqualTo(expectedTwo).isNotEmpty();
            assertThat(exact).isEqualTo(expectedExact).isNotEmpty();
        }
    }
}

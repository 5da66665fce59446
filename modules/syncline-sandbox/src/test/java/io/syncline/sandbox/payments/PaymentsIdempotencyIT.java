package io.syncline.sandbox.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.sandbox.testing.HttpTestClient;
import io.syncline.sandbox.testing.HttpTestClient.Response;

/** Stripe's {@code Idempotency-Key} semantics: replay, mismatch, unsaved validation failures, concurrency. */
class PaymentsIdempotencyIT {

    private static final String KEY = "sk_test_idempotency";
    private static PaymentsSandbox stripe;
    private static HttpTestClient api;

    @BeforeAll
    static void start() {
        stripe = PaymentsSandbox.builder().seed(3).apiKey(KEY).rateLimitPerSecond(0).build().start();
        api = new HttpTestClient(stripe.url()).bearer(KEY);
    }

    @AfterAll
    static void stop() {
        stripe.close();
    }

    @BeforeEach
    void noFaults() {
        stripe.faults().reset();
    }

    private static Map<String, String> key(String k) {
        return Map.of("Idempotency-Key", k);
    }

    @Test
    void theSameKeyAndParametersReplayTheFirstResponseWithoutApplyingTwice() throws Exception {
        Response first = api.postForm("/v1/customers", key("cust-1"), "email", "once@example.com");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        int events = stripe.objectIds("event").size();
        int customers = stripe.objectIds("customer").size();

        Response replay = api.postForm("/v1/customers", key("cust-1"), "email", "once@example.com");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.header("Original-Request")).isEqualTo(first.header("Request-Id"));
        assertThat(replay.json()).isEqualTo(first.json());
        assertThat(stripe.objectIds("event")).hasSize(events);
        assertThat(stripe.objectIds("customer")).hasSize(customers);
        JsonNode event = stripe.events().stream()
                .filter(e -> e.get("data").get("object").get("id").equals(first.json().get("id")))
                .findFirst().orElseThrow();
        assertThat(event.get("request").get("idempotency_key").asText()).isEqualTo("cust-1");
        assertThat(event.get("request").get("id").asText()).isEqualTo(first.header("Request-Id"));
    }

    @Test
    void theSameKeyWithOtherParametersIsAnIdempotencyError() throws Exception {
        assertThat(api.postForm("/v1/customers", key("cust-2"), "email", "a@example.com").status()).isEqualTo(200);
        Response other = api.postForm("/v1/customers", key("cust-2"), "email", "b@example.com");
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.json().get("error").get("type").asText()).isEqualTo("idempotency_error");
        assertThat(other.json().get("error").get("message").asText()).contains("'cust-2'");
        Response otherEndpoint = api.postForm("/v1/invoices", key("cust-2"), "customer", "cus_x");
        assertThat(otherEndpoint.json().get("error").get("type").asText()).isEqualTo("idempotency_error");
    }

    @Test
    void aRequestThatFailedValidationIsNotSaved() throws Exception {
        Response invalid = api.postForm("/v1/payment_intents", key("pi-1"), "currency", "usd");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("error").get("code").asText()).isEqualTo("parameter_missing");
        Response fixed = api.postForm("/v1/payment_intents", key("pi-1"), "currency", "usd", "amount", "900");
        assertThat(fixed.status()).as(fixed.raw()).isEqualTo(200);
        assertThat(fixed.header("Idempotent-Replayed")).isNull();
    }

    @Test
    void aDeclineIsSavedAndReplayedWithoutASecondCharge() throws Exception {
        String[] params = {"amount", "1200", "currency", "usd", "payment_method", "pm_card_chargeDeclined",
            "confirm", "true"};
        Response declined = api.postForm("/v1/payment_intents", key("pi-2"), params);
        assertThat(declined.status()).isEqualTo(402);
        int charges = stripe.objectIds("charge").size();
        Response again = api.postForm("/v1/payment_intents", key("pi-2"), params);
        assertThat(again.status()).isEqualTo(402);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json()).isEqualTo(declined.json());
        assertThat(stripe.objectIds("charge")).hasSize(charges);
    }

    @Test
    void overlongKeysAreRejected() throws Exception {
        Response r = api.postForm("/v1/customers", key("k".repeat(256)), "email", "long@example.com");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").get("param").asText()).isEqualTo("Idempotency-Key");
    }

    @Test
    void concurrentRequestsWithOneKeyCreateOneObject() throws Exception {
        stripe.faults().latency(300, 0);
        int before = stripe.objectIds("customer").size();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Callable<Response> call = () -> api.postForm("/v1/customers", key("race-1"), "email", "race@example.com");
            List<Future<Response>> futures = pool.invokeAll(List.of(call, call, call, call));
            int ok = 0;
            for (Future<Response> f : futures) {
                Response r = f.get();
                if (r.status() == 200) {
                    ok++;
                } else {
                    assertThat(r.status()).as(r.raw()).isEqualTo(409);
                    assertThat(r.json().get("error").get("code").asText()).isEqualTo("idempotency_key_in_use");
                }
            }
            assertThat(ok).isPositive();
        } finally {
            pool.shutdown();
        }
        assertThat(stripe.objectIds("customer")).hasSize(before + 1);
    }
}

package io.syncline.sandbox.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.syncline.sandbox.core.RequestRecord;
import io.syncline.sandbox.testing.HttpTestClient;
import io.syncline.sandbox.testing.HttpTestClient.Response;

/** Each fault knob does what it says, set from Java or over the admin API, and the genuine rate limit answers 429. */
class PaymentsFaultsIT {

    private static final String KEY = "sk_test_faults";
    private static PaymentsSandbox stripe;
    private static HttpTestClient api;
    private static HttpTestClient admin;

    @BeforeAll
    static void start() {
        stripe = PaymentsSandbox.builder().seed(11).apiKey(KEY).rateLimitPerSecond(0).build().start();
        api = new HttpTestClient(stripe.url()).bearer(KEY);
        admin = new HttpTestClient(stripe.url());
        stripe.generator().runSteps(20);
    }

    @AfterAll
    static void stop() {
        stripe.close();
    }

    @BeforeEach
    void reset() {
        stripe.faults().reset();
    }

    @Test
    void serverErrorRatioAnswersStripeApiErrorsWithTheConfiguredStatus() throws Exception {
        stripe.faults().serverErrorRatio(1.0).serverErrorStatus(503);
        Response r = api.get("/v1/customers");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().get("error").get("type").asText()).isEqualTo("api_error");
        assertThat(r.header("Stripe-Should-Retry")).isEqualTo("true");
        assertThat(r.header("Request-Id")).startsWith("req_");
        assertThat(lastRecord().fault()).isEqualTo("server_error");
    }

    @Test
    void injectedThrottlingLooksLikeStripesRateLimit() throws Exception {
        stripe.faults().rateLimitRatio(1.0);
        Response r = api.get("/v1/charges");
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("rate_limit");
        assertThat(r.header("Stripe-Should-Retry")).isEqualTo("true");
        assertThat(r.header("Retry-After")).isEqualTo("1");
    }

    @Test
    void malformedRatioCutsTheJsonBodyInHalf() throws Exception {
        stripe.faults().malformedRatio(1.0);
        Response cut = api.get("/v1/events?limit=3");
        stripe.faults().reset();
        Response whole = api.get("/v1/events?limit=3");
        assertThat(cut.status()).isEqualTo(200);
        assertThat(whole.raw()).startsWith(cut.raw());
        assertThat(cut.raw().length()).isEqualTo(whole.raw().length() / 2);
        assertThatThrownBy(() -> new ObjectMapper().readTree(cut.raw())).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void connectionResetRatioDropsTheConnectionWithoutAnAnswer() {
        stripe.faults().connectionResetRatio(1.0);
        assertThatThrownBy(() -> api.get("/v1/customers")).isInstanceOf(IOException.class);
        assertThat(lastRecord().fault()).isEqualTo("connection_reset");
        assertThat(lastRecord().status()).isZero();
    }

    @Test
    void timeoutRatioHoldsRequestsPastTheClientTimeout() {
        stripe.faults().timeoutRatio(1.0).timeoutMs(5_000);
        assertThatThrownBy(() -> api.get("/v1/customers", Duration.ofMillis(300)))
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void latencyDelaysEveryAnswerByAtLeastTheFixedPart() throws Exception {
        stripe.faults().latency(400, 100);
        long start = System.nanoTime();
        assertThat(api.get("/v1/customers").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(lastRecord().durationMillis()).isGreaterThanOrEqualTo(400);
    }

    @Test
    void aRatioBetweenZeroAndOneFailsSomeRequestsAndNotOthers() throws Exception {
        stripe.faults().serverErrorRatio(0.5);
        int failed = 0;
        for (int i = 0; i < 40; i++) {
            if (api.get("/v1/customers?limit=1").status() == 500) {
                failed++;
            }
        }
        assertThat(failed).isBetween(5, 35);
    }

    @Test
    void adminApiChangesAndResetsKnobsAndRejectsBadOnes() throws Exception {
        Response set = admin.postJson("/_sandbox/faults", "{\"serverErrorRatio\":1.0,\"latencyMs\":0}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("serverErrorRatio").asDouble()).isEqualTo(1.0);
        assertThat(api.get("/v1/customers").status()).isEqualTo(500);
        // Admin routes bypass faults, auth and rate limits.
        assertThat(admin.get("/_sandbox/faults").status()).isEqualTo(200);
        Response bad = admin.postJson("/_sandbox/faults", "{\"serverErrorRatio\":2}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("serverErrorRatio");
        assertThat(admin.postJson("/_sandbox/faults/reset", "").status()).isEqualTo(200);
        assertThat(api.get("/v1/customers").status()).isEqualTo(200);
        Response log = admin.get("/_sandbox/requests?limit=2");
        assertThat(log.json().get("requests")).hasSize(2);
        assertThat(log.json().get("requests").get(1).get("path").asText()).isEqualTo("/v1/customers");
    }

    @Test
    void theGenuineRateLimitAnswers429PerKeyAndRecovers() throws Exception {
        try (PaymentsSandbox limited = PaymentsSandbox.builder().seed(12).apiKey(KEY).rateLimitPerSecond(3)
                .build().start()) {
            limited.rateLimiter().configure(3, Duration.ofMinutes(1));
            HttpTestClient client = new HttpTestClient(limited.url()).bearer(KEY);
            for (int i = 0; i < 3; i++) {
                assertThat(client.get("/v1/customers").status()).isEqualTo(200);
            }
            Response limitedResponse = client.get("/v1/customers");
            assertThat(limitedResponse.status()).isEqualTo(429);
            assertThat(limitedResponse.json().get("error").get("code").asText()).isEqualTo("rate_limit");
            assertThat(limitedResponse.header("Stripe-Should-Retry")).isEqualTo("true");
            assertThat(Long.parseLong(limitedResponse.header("Retry-After"))).isBetween(1L, 60L);
            // A wrong key is refused by authentication before it could use up the real key's budget.
            assertThat(new HttpTestClient(limited.url()).bearer("sk_test_other").get("/v1/customers").status())
                    .isEqualTo(401);
            Response raised = new HttpTestClient(limited.url())
                    .postJson("/_sandbox/rate-limit", "{\"maxRequests\":100,\"windowMs\":1000}");
            assertThat(raised.json().get("maxRequests").asInt()).isEqualTo(100);
            assertThat(client.get("/v1/customers").status()).isEqualTo(200);
        }
    }

    private static RequestRecord lastRecord() {
        List<RequestRecord> records = stripe.requestLog().records();
        return records.get(records.size() - 1);
    }
}

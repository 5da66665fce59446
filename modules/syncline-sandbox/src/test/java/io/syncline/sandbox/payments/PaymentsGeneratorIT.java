package io.syncline.sandbox.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.testing.HttpTestClient;

/** The seeded activity generator: deterministic by seed, realistic coverage, and rate-driven in the background. */
class PaymentsGeneratorIT {

    private static PaymentsSandbox sandbox(long seed) {
        return PaymentsSandbox.builder().seed(seed).rateLimitPerSecond(0)
                .clock(MutableClock.fixedAt(Instant.parse("2026-05-01T08:00:00Z"))).build();
    }

    @Test
    void theSameSeedGeneratesTheSameObjectsAndEvents() throws Exception {
        try (PaymentsSandbox a = sandbox(99).start(); PaymentsSandbox b = sandbox(99).start();
             PaymentsSandbox c = sandbox(100).start()) {
            a.generator().runSteps(250);
            // Over HTTP through the admin API, as `syncline sandbox` users would drive it.
            HttpTestClient.Response steps = new HttpTestClient(b.url()).postJson("/_sandbox/generator/steps",
                    "{\"steps\":250}");
            assertThat(steps.status()).isEqualTo(200);
            c.generator().runSteps(250);
            List<JsonNode> eventsA = a.events();
            assertThat(eventsA).hasSizeGreaterThan(250);
            assertThat(b.events()).isEqualTo(eventsA);
            assertThat(b.objectIds()).isEqualTo(a.objectIds());
            assertThat(c.events()).isNotEqualTo(eventsA);
            // API traffic on one of them does not change what its generator produces next.
            new HttpTestClient(a.url()).bearer(PaymentsSandbox.DEFAULT_API_KEY)
                    .postForm("/v1/customers", "email", "outsider@example.com");
            a.generator().runSteps(50);
            b.generator().runSteps(50);
            List<JsonNode> generatedA = a.events().stream().filter(e -> e.get("request").get("id").isNull()).toList();
            assertThat(b.events()).isEqualTo(generatedA);
        }
    }

    @Test
    void generatedActivityCoversTheLifecyclesAConnectorMustHandle() {
        try (PaymentsSandbox stripe = sandbox(7)) {
            stripe.generator().runSteps(1500);
            Set<String> types = stripe.events().stream().map(e -> e.get("type").asText()).collect(Collectors.toSet());
            assertThat(types).contains("customer.created", "customer.updated", "customer.deleted",
                    "payment_intent.created", "payment_intent.succeeded", "payment_intent.payment_failed",
                    "charge.succeeded", "charge.failed", "charge.refunded", "charge.updated", "refund.created",
                    "refund.updated", "invoice.created", "invoice.finalized", "invoice.paid",
                    "invoice.payment_succeeded", "invoice.payment_failed", "invoice.updated", "invoiceitem.created");
            JsonNode jpy = stripe.events().stream().map(e -> e.get("data").get("object"))
                    .filter(o -> "charge".equals(o.get("object").asText()) && "jpy".equals(o.get("currency").asText()))
                    .findFirst().orElseThrow();
            assertThat(jpy.get("amount").asLong() % 10).isZero(); // whole yen, no minor unit
            assertThat(stripe.events()).filteredOn(e -> e.get("type").asText().endsWith(".updated"))
                    .allSatisfy(e -> assertThat(e.get("data").get("previous_attributes").isObject()).isTrue());
        }
    }

    @Test
    void runsInTheBackgroundAtTheConfiguredRateUntilStopped() {
        try (PaymentsSandbox stripe = PaymentsSandbox.builder().seed(1).generatorRate(200).rateLimitPerSecond(0)
                .startGenerator(true).build().start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> stripe.objectIds("event").size() >= 100);
            stripe.generator().stop();
            long steps = stripe.generator().steps();
            int events = stripe.objectIds("event").size();
            assertThat(stripe.generator().running()).isFalse();
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> stripe.objectIds("event").size() == events && stripe.generator().steps() == steps);
        }
    }
}

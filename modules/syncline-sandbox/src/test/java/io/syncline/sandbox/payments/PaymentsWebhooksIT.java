package io.syncline.sandbox.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.syncline.sandbox.core.WebhookDispatcher;
import io.syncline.sandbox.testing.HttpTestClient;
import io.syncline.sandbox.testing.WebhookReceiver;

/** Signed webhook delivery to a real HTTP receiver: signature, filtering, retries, duplicates, reordering. */
class PaymentsWebhooksIT {

    private static final String KEY = "sk_test_webhooks";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final WebhookDispatcher.RetryPolicy FAST = new WebhookDispatcher.RetryPolicy(5,
            Duration.ofMillis(50), 2.0, Duration.ofMillis(400), Duration.ofSeconds(5));

    private static PaymentsSandbox sandbox() {
        return PaymentsSandbox.builder().seed(21).apiKey(KEY).rateLimitPerSecond(0).webhookRetry(FAST).build()
                .start();
    }

    /** Computes Stripe's v1 signature independently of the sandbox code. */
    private static String expectedV1(String secret, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> parseSignature(String header) {
        Map<String, String> parts = new HashMap<>();
        for (String p : header.split(",")) {
            String[] kv = p.split("=", 2);
            parts.put(kv[0], kv[1]);
        }
        return parts;
    }

    private static String eventId(WebhookReceiver.Received r) throws Exception {
        return MAPPER.readTree(r.body()).get("id").asText();
    }

    @Test
    void deliversEachMatchingEventSignedWithTheWholeSecret() throws Exception {
        try (PaymentsSandbox stripe = sandbox(); WebhookReceiver receiver = new WebhookReceiver()) {
            HttpTestClient api = new HttpTestClient(stripe.url()).bearer(KEY);
            HttpTestClient.Response created = api.postForm("/v1/webhook_endpoints", "url", receiver.url(),
                    "enabled_events[]", "customer.created", "enabled_events[]", "customer.updated");
            assertThat(created.status()).as(created.raw()).isEqualTo(200);
            JsonNode endpoint = created.json();
            String secret = endpoint.get("secret").asText();
            assertThat(secret).startsWith("whsec_");
            assertThat(endpoint.get("id").asText()).startsWith("we_");
            assertThat(api.get("/v1/webhook_endpoints/" + endpoint.get("id").asText()).json().has("secret")).isFalse();

            String cus = api.postForm("/v1/customers", "email", "hook@example.com").json().get("id").asText();
            api.postForm("/v1/customers/" + cus, "name", "Hooked");
            api.postForm("/v1/charges", "amount", "500", "currency", "usd", "source", "tok_visa");

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() >= 2);
            List<WebhookReceiver.Received> received = receiver.received();
            List<String> types = new ArrayList<>();
            for (WebhookReceiver.Received r : received) {
                JsonNode event = MAPPER.readTree(r.body());
                types.add(event.get("type").asText());
                Map<String, String> sig = parseSignature(r.header("Stripe-Signature"));
                assertThat(sig.get("v1")).isEqualTo(expectedV1(secret, sig.get("t"), r.body()));
                assertThat(Long.parseLong(sig.get("t"))).isCloseTo(Instant.now().getEpochSecond(),
                        org.assertj.core.data.Offset.offset(300L));
                assertThat(r.header("Content-Type")).startsWith("application/json");
                assertThat(r.header("User-Agent")).startsWith("Stripe/1.0");
            }
            assertThat(types).containsExactlyInAnyOrder("customer.created", "customer.updated");
            String updatedId = MAPPER.readTree(received.stream().filter(r -> r.body().contains("customer.updated"))
                    .findFirst().orElseThrow().body()).get("id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    api.get("/v1/events/" + updatedId).json().get("pending_webhooks").asInt() == 0);
            // Only the subscribed types were sent: the charge event never arrives.
            assertThat(receiver.received()).noneMatch(r -> r.body().contains("charge.succeeded"));
        }
    }

    @Test
    void retriesWithBackoffUntilTheReceiverAccepts() throws Exception {
        try (PaymentsSandbox stripe = sandbox(); WebhookReceiver receiver = new WebhookReceiver()) {
            Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
            receiver.respondWith(r -> {
                try {
                    return seen.computeIfAbsent(eventId(r), k -> new AtomicInteger()).incrementAndGet() < 3 ? 500
                            : 200;
                } catch (Exception e) {
                    return 400;
                }
            });
            PaymentsSandbox.WebhookEndpoint we = stripe.registerWebhook(receiver.url(), "customer.created");
            assertThat(we.secret()).startsWith("whsec_");
            new HttpTestClient(stripe.url()).bearer(KEY).postForm("/v1/customers", "email", "retry@example.com");
            await().atMost(Duration.ofSeconds(30)).until(() -> stripe.webhookAttempts().stream()
                    .anyMatch(WebhookDispatcher.Attempt::succeeded));
            List<WebhookDispatcher.Attempt> attempts = stripe.webhookAttempts();
            assertThat(attempts).extracting(WebhookDispatcher.Attempt::status).containsExactly(500, 500, 200);
            assertThat(attempts).extracting(WebhookDispatcher.Attempt::attempt).containsExactly(1, 2, 3);
            assertThat(receiver.received()).hasSize(3);
            assertThat(receiver.received().stream().map(r -> r.body()).distinct()).hasSize(1);
        }
    }

    @Test
    void anEndpointRegisteredWithAGivenSecretSignsWithThatSecret() throws Exception {
        String secret = "whsec_given_per_installation_0123456789";
        try (PaymentsSandbox stripe = sandbox(); WebhookReceiver receiver = new WebhookReceiver()) {
            PaymentsSandbox.WebhookEndpoint we = stripe.registerWebhookWithSecret(receiver.url(), secret);
            assertThat(we.secret()).isEqualTo(secret);
            new HttpTestClient(stripe.url()).bearer(KEY).postForm("/v1/customers", "email", "given@example.com");
            await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received().isEmpty());
            WebhookReceiver.Received r = receiver.received().get(0);
            Map<String, String> sig = parseSignature(r.header("Stripe-Signature"));
            assertThat(sig.get("v1")).isEqualTo(expectedV1(secret, sig.get("t"), r.body()));
        }
    }

    @Test
    void givesUpAfterTheAttemptLimitWhenTheReceiverIsDown() throws Exception {
        try (PaymentsSandbox stripe = sandbox(); WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.respondWith(r -> 503);
            stripe.registerWebhook(receiver.url());
            new HttpTestClient(stripe.url()).bearer(KEY).postForm("/v1/customers", "email", "down@example.com");
            await().atMost(Duration.ofSeconds(30)).until(() -> stripe.webhookAttempts().size() >= 5);
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(10))
                    .until(() -> stripe.webhookAttempts().size() == 5);
            assertThat(stripe.webhookAttempts()).allMatch(a -> a.status() == 503);
        }
    }

    @Test
    void duplicateRatioDeliversEveryEventTwice() throws Exception {
        try (PaymentsSandbox stripe = sandbox(); WebhookReceiver receiver = new WebhookReceiver()) {
            stripe.faults().webhookDuplicateRatio(1.0);
            stripe.registerWebhook(receiver.url(), "customer.created");
            HttpTestClient api = new HttpTestClient(stripe.url()).bearer(KEY);
            for (int i = 0; i < 3; i++) {
                api.postForm("/v1/customers", "email", "dup" + i + "@example.com");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 6);
            Map<String, Integer> counts = new HashMap<>();
            for (WebhookReceiver.Received r : receiver.received()) {
                counts.merge(eventId(r), 1, Integer::sum);
            }
            assertThat(counts).hasSize(3).allSatisfy((id, n) -> assertThat(n).isEqualTo(2));
            assertThat(stripe.webhookAttempts()).filteredOn(WebhookDispatcher.Attempt::duplicate).hasSize(3);
        }
    }

    @Test
    void outOfOrderRatioLetsLaterEventsOvertakeHeldBackOnes() throws Exception {
        try (PaymentsSandbox stripe = sandbox(); WebhookReceiver receiver = new WebhookReceiver()) {
            stripe.faults().webhookOutOfOrderRatio(0.5).webhookOutOfOrderDelayMs(1500);
            stripe.registerWebhook(receiver.url(), "customer.created");
            stripe.generator().runSteps(60);
            List<String> created = stripe.events().stream()
                    .filter(e -> e.get("type").asText().equals("customer.created"))
                    .map(e -> e.get("id").asText()).toList();
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == created.size());
            List<String> arrival = new ArrayList<>();
            for (WebhookReceiver.Received r : receiver.received()) {
                arrival.add(eventId(r));
            }
            assertThat(arrival).containsExactlyInAnyOrderElementsOf(created);
            assertThat(arrival).isNotEqualTo(created);
            assertThat(stripe.webhookAttempts()).anyMatch(WebhookDispatcher.Attempt::delayed)
                    .anyMatch(a -> !a.delayed());
        }
    }
}

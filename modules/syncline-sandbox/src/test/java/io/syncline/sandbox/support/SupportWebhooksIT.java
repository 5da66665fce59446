package io.syncline.sandbox.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.syncline.config.SignatureScheme;
import io.syncline.gateway.signature.Secret;
import io.syncline.gateway.signature.SignatureVerifier;
import io.syncline.gateway.signature.SignedRequest;
import io.syncline.gateway.signature.Verification;
import io.syncline.sandbox.core.WebhookDispatcher;
import io.syncline.sandbox.testing.HttpTestClient;
import io.syncline.sandbox.testing.WebhookReceiver;

/** Zendesk event webhooks to a real receiver, checked by the gateway's own Zendesk verifier and an independent HMAC. */
class SupportWebhooksIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final WebhookDispatcher.RetryPolicy FAST = new WebhookDispatcher.RetryPolicy(4,
            Duration.ofMillis(50), 2.0, Duration.ofMillis(400), Duration.ofSeconds(5));

    private SupportSandbox zendesk;
    private WebhookReceiver receiver;
    private HttpTestClient api;

    @BeforeEach
    void start() throws Exception {
        zendesk = SupportSandbox.builder().seed(13).rateLimitPerMinute(0).webhookRetry(FAST).build().start();
        receiver = new WebhookReceiver();
        api = Zendesk.client(zendesk);
    }

    @AfterEach
    void stop() {
        zendesk.close();
        receiver.close();
    }

    private static SignedRequest signed(WebhookReceiver.Received r) {
        return new SignedRequest() {
            @Override
            public String header(String name) {
                return r.header(name);
            }

            @Override
            public String method() {
                return "POST";
            }

            @Override
            public String url() {
                return "http://127.0.0.1/webhooks/zendesk";
            }

            @Override
            public byte[] body() {
                return r.body().getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    private static SignatureVerifier verifier(String secret) {
        return SignatureVerifier.create(SignatureScheme.ZENDESK, List.of(new Secret("test:zendesk", secret)),
                Duration.ofMinutes(5));
    }

    private static JsonNode json(WebhookReceiver.Received r) throws Exception {
        return MAPPER.readTree(r.body());
    }

    @Test
    void eventsAreSignedAsZendeskSignsThemAndTheGatewayVerifierAcceptsThem() throws Exception {
        SupportSandbox.WebhookEndpoint hook = zendesk.registerWebhook(receiver.url(), "zen:event-type:ticket.created",
                "zen:event-type:ticket.comment_added", "zen:event-type:ticket.status_changed");
        long id = api.postJson("/api/v2/tickets.json", "{\"ticket\":{\"subject\":\"Hook\",\"comment\":{\"body\":"
                + "\"hello\"},\"external_id\":\"pay-1\"}}").json().at("/ticket/id").asLong();
        api.sendJson("PUT", "/api/v2/tickets/" + id + ".json", "{\"ticket\":{\"status\":\"open\",\"comment\":{"
                + "\"body\":\"on it\"}}}", Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 3);

        SignatureVerifier gateway = verifier(hook.secret());
        for (WebhookReceiver.Received r : receiver.received()) {
            assertThat(gateway.verify(signed(r), System.currentTimeMillis())).isEqualTo(Verification.VALID);
            String timestamp = r.header("X-Zendesk-Webhook-Signature-Timestamp");
            assertThat(timestamp).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hook.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = Base64.getEncoder().encodeToString(mac.doFinal((timestamp + r.body())
                    .getBytes(StandardCharsets.UTF_8)));
            assertThat(r.header("X-Zendesk-Webhook-Signature")).isEqualTo(expected);
            assertThat(r.header("X-Zendesk-Webhook-Id")).isEqualTo(hook.id());
            assertThat(r.header("X-Zendesk-Webhook-Invocation-Id")).isNotBlank();
        }
        assertThat(verifier(hook.secret() + "x").verify(signed(receiver.received().get(0)),
                System.currentTimeMillis()).outcome()).isEqualTo(Verification.Outcome.SIGNATURE_MISMATCH);

        List<String> types = receiver.received().stream().map(r -> {
            try {
                return json(r).get("type").asText();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertThat(types).containsExactlyInAnyOrder("zen:event-type:ticket.created",
                "zen:event-type:ticket.status_changed", "zen:event-type:ticket.comment_added");
        for (WebhookReceiver.Received r : receiver.received()) {
            JsonNode e = json(r);
            assertThat(e.get("subject").asText()).isEqualTo("zen:ticket:" + id);
            assertThat(e.get("zendesk_event_version").asText()).isEqualTo("2022-11-06");
            assertThat(e.at("/detail/id").asText()).isEqualTo(Long.toString(id));
            assertThat(e.at("/detail/external_id").asText()).isEqualTo("pay-1");
            if (e.get("type").asText().endsWith("status_changed")) {
                assertThat(e.at("/event/previous").asText()).isEqualTo("NEW");
                assertThat(e.at("/event/current").asText()).isEqualTo("OPEN");
            }
            if (e.get("type").asText().endsWith("comment_added")) {
                assertThat(e.at("/event/comment/body").asText()).isEqualTo("on it");
                assertThat(e.at("/event/comment/author/is_staff").asBoolean()).isTrue();
            }
        }
    }

    @Test
    void aWebhookRegisteredWithAGivenSecretIsSignedWithItAndHandsItOut() throws Exception {
        String secret = "per-data-directory-secret-0123456789abcdefgh";
        assertThat(SupportSandbox.eventTypes()).contains("zen:event-type:user.created", "zen:event-type:user.deleted");
        SupportSandbox.WebhookEndpoint hook = zendesk.registerWebhookWithSecret(receiver.url(), secret,
                "zen:event-type:user.created");
        assertThat(hook.secret()).isEqualTo(secret);
        api.postJson("/api/v2/users.json", "{\"user\":{\"name\":\"Given\",\"email\":\"given@example.com\"}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().stream()
                .anyMatch(r -> r.body().contains("given@example.com")));
        WebhookReceiver.Received r = receiver.received().stream().filter(x -> x.body().contains("given@example.com"))
                .findFirst().orElseThrow();
        assertThat(verifier(secret).verify(signed(r), System.currentTimeMillis())).isEqualTo(Verification.VALID);
        assertThat(r.header("X-Zendesk-Webhook-Id")).isEqualTo(hook.id());
        assertThat(api.get("/api/v2/webhooks/" + hook.id() + "/signing_secret").json()
                .at("/signing_secret/secret").asText()).isEqualTo(secret);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> zendesk.registerWebhookWithSecret(receiver.url(), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret");
    }

    @Test
    void theWebhooksApiCreatesWebhooksAndHandsOutTheirSigningSecret() throws Exception {
        HttpTestClient.Response created = api.postJson("/api/v2/webhooks", "{\"webhook\":{\"name\":\"users\","
                + "\"endpoint\":\"" + receiver.url() + "\",\"http_method\":\"POST\",\"request_format\":\"json\","
                + "\"status\":\"active\",\"subscriptions\":[\"zen:event-type:user.created\"]}}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().at("/webhook/id").asText();
        String secret = api.get("/api/v2/webhooks/" + id + "/signing_secret").json().at("/signing_secret/secret")
                .asText();
        api.postJson("/api/v2/users.json", "{\"user\":{\"name\":\"Hooked\",\"email\":\"hooked@example.com\"}}");
        api.postJson("/api/v2/organizations.json", "{\"organization\":{\"name\":\"Not subscribed\"}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 1);
        WebhookReceiver.Received r = receiver.received().get(0);
        assertThat(verifier(secret).verify(signed(r), System.currentTimeMillis()).valid()).isTrue();
        assertThat(json(r).at("/detail/email").asText()).isEqualTo("hooked@example.com");
        assertThat(api.get("/api/v2/webhooks").json().get("webhooks")).hasSize(1);

        HttpTestClient.Response bad = api.postJson("/api/v2/webhooks", "{\"webhook\":{\"name\":\"x\",\"endpoint\":"
                + "\"ftp://nope\",\"subscriptions\":[\"zen:event-type:invoice.paid\"]}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/errors/0/detail").asText()).contains("endpoint").contains("invoice.paid");
        assertThat(api.delete("/api/v2/webhooks/" + id).status()).isEqualTo(204);
        assertThat(api.get("/api/v2/webhooks/" + id).status()).isEqualTo(404);
    }

    @Test
    void failedDeliveriesAreRetriedAndTheWebhookFaultsApply() throws Exception {
        zendesk.registerWebhook(receiver.url(), "zen:event-type:user.created");
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        receiver.respondWith(r -> calls.incrementAndGet() == 1 ? 503 : 200);
        api.postJson("/api/v2/users.json", "{\"user\":{\"name\":\"Retry\",\"email\":\"retry@example.com\"}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> zendesk.webhookAttempts().stream()
                .anyMatch(WebhookDispatcher.Attempt::succeeded));
        assertThat(zendesk.webhookAttempts()).extracting(WebhookDispatcher.Attempt::status).containsExactly(503, 200);

        receiver.respondWith(r -> 200);
        zendesk.faults().webhookDuplicateRatio(1.0);
        api.postJson("/api/v2/users.json", "{\"user\":{\"name\":\"Twice\",\"email\":\"twice@example.com\"}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().stream()
                .filter(r -> r.body().contains("twice@example.com")).count() == 2);
        List<String> ids = receiver.received().stream().filter(r -> r.body().contains("twice@example.com"))
                .map(r -> r.header("X-Zendesk-Webhook-Invocation-Id")).toList();
        assertThat(ids.get(0)).isEqualTo(ids.get(1));

        zendesk.faults().reset().webhookDropRatio(1.0);
        api.postJson("/api/v2/users.json", "{\"user\":{\"name\":\"Lost\",\"email\":\"lost@example.com\"}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> zendesk.webhookAttempts().stream()
                .anyMatch(a -> WebhookDispatcher.DROPPED.equals(a.error())));
        zendesk.faults().reset();
        api.postJson("/api/v2/users.json", "{\"user\":{\"name\":\"After\",\"email\":\"after@example.com\"}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().stream()
                .anyMatch(r -> r.body().contains("after@example.com")));
        assertThat(receiver.received()).noneMatch(r -> r.body().contains("lost@example.com"));
        // The change a dropped webhook missed is still there for polling.
        assertThat(api.get("/api/v2/users/search.json?query=lost@example.com").json().get("users")).hasSize(1);
    }
}

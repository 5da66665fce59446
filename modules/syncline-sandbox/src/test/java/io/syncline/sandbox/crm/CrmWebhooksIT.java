package io.syncline.sandbox.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.testing.HttpTestClient;
import io.syncline.sandbox.testing.WebhookReceiver;

/**
 * HubSpot webhooks from the CRM sandbox to a real HTTP receiver: JSON arrays of at most 100 events, signed v3 with the
 * client secret over method, URL, body and timestamp (checked here with an HMAC computed independently), one event per
 * creation, changed property, deletion and merge, from API writes and the generator alike.
 */
class CrmWebhooksIT {

    private static List<JsonNode> events(WebhookReceiver receiver) {
        List<JsonNode> out = new ArrayList<>();
        for (WebhookReceiver.Received r : receiver.received()) {
            Json.read(r.body()).forEach(out::add);
        }
        return out;
    }

    private static String hmac(String secret, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void changesArriveAsSignedBatchesOfEventsNamingObjectAndProperty() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             CrmSandbox crm = CrmSandbox.builder().seed(4).tenSecondlyLimit(0).build().start()) {
            HttpTestClient admin = new HttpTestClient(crm.url());
            HttpTestClient.Response registered = admin.postJson("/_sandbox/webhooks", "{\"url\":\"" + receiver.url()
                    + "\"}");
            assertThat(registered.status()).as(registered.raw()).isEqualTo(200);
            HttpTestClient api = new HttpTestClient(crm.url()).bearer(crm.privateAppToken());
            String id = api.postJson("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"hook@example.com\","
                    + "\"firstname\":\"Hook\"}}").json().get("id").asText();
            api.sendJson("PATCH", "/crm/v3/objects/contacts/" + id, "{\"properties\":{\"firstname\":\"Captain\"}}",
                    java.util.Map.of());
            api.delete("/crm/v3/objects/contacts/" + id);

            await().atMost(Duration.ofSeconds(20)).until(() -> events(receiver).stream()
                    .anyMatch(e -> e.get("subscriptionType").asText().equals("contact.deletion")));
            List<JsonNode> mine = events(receiver).stream().filter(e -> e.path("objectId").asText().equals(id))
                    .toList();
            assertThat(mine).extracting(e -> e.get("subscriptionType").asText() + ":" + e.path("propertyName")
                    .asText("") + "=" + e.path("propertyValue").asText(""))
                    .contains("contact.creation:=", "contact.propertyChange:email=hook@example.com",
                            "contact.propertyChange:firstname=Hook", "contact.propertyChange:firstname=Captain",
                            "contact.deletion:=");
            assertThat(mine).allSatisfy(e -> {
                assertThat(e.get("portalId").asLong()).isEqualTo(62515);
                assertThat(e.get("eventId").isNumber()).isTrue();
                assertThat(e.get("occurredAt").asLong()).isPositive();
                assertThat(e.get("objectId").isNumber()).isTrue();
            });

            for (WebhookReceiver.Received r : receiver.received()) {
                String timestamp = r.header(HubSpotSignature.TIMESTAMP);
                assertThat(r.header(HubSpotSignature.SIGNATURE)).as("v3 signature of " + r.body())
                        .isEqualTo(hmac(crm.clientSecret(), "POST" + receiver.url() + r.body() + timestamp));
                assertThat(Json.read(r.body()).isArray()).isTrue();
                assertThat(Json.read(r.body()).size()).isBetween(1, 100);
            }
        }
    }

    @Test
    void generatorActivityIsBatchedAtMostAHundredEventsPerRequestAndMergesNameTheMergedIds() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             CrmSandbox crm = CrmSandbox.builder().seed(3).tenSecondlyLimit(0)
                     .webhookBatchWindow(Duration.ofSeconds(2)).build().start()) {
            crm.registerWebhook(receiver.url());
            crm.generator().runSteps(600);
            await().atMost(Duration.ofSeconds(30)).until(() -> events(receiver).stream()
                    .anyMatch(e -> e.get("subscriptionType").asText().equals("contact.merge")));
            assertThat(receiver.received()).allSatisfy(r -> assertThat(Json.read(r.body()).size())
                    .isBetween(1, 100));
            assertThat(receiver.received()).anySatisfy(r -> assertThat(Json.read(r.body()).size()).isEqualTo(100));
            JsonNode merge = events(receiver).stream()
                    .filter(e -> e.get("subscriptionType").asText().equals("contact.merge")).findFirst().orElseThrow();
            String survivor = merge.get("newObjectId").asText();
            assertThat(merge.get("objectId").asText()).isEqualTo(survivor);
            // Both old ids route to where the merged contact is now (it may have been merged again since).
            java.util.Map<String, String> merged = crm.mergedIds("contacts");
            String now = merged.getOrDefault(survivor, survivor);
            assertThat(merged).containsEntry(merge.get("primaryObjectId").asText(), now)
                    .containsEntry(merge.get("mergedObjectIds").get(0).asText(), now);
            assertThat(events(receiver)).noneMatch(e -> e.get("subscriptionType").asText().endsWith("associationChange"));
        }
    }

    @Test
    void subscriptionsAreCheckedAndTheDropFaultLosesDeliveries() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             CrmSandbox crm = CrmSandbox.builder().seed(5).tenSecondlyLimit(0).build().start()) {
            HttpTestClient admin = new HttpTestClient(crm.url());
            HttpTestClient.Response bad = admin.postJson("/_sandbox/webhooks", "{\"url\":\"" + receiver.url()
                    + "\",\"subscriptions\":[\"contact.teleported\"]}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.raw()).contains("contact.teleported");

            crm.registerWebhook(receiver.url(), "company.creation");
            crm.faults().webhookDropRatio(1.0);
            crm.generator().runSteps(100);
            await().atMost(Duration.ofSeconds(20)).until(() -> !crm.webhookAttempts().isEmpty());
            assertThat(crm.webhookAttempts()).allMatch(a -> a.status() == 0);
            crm.faults().webhookDropRatio(0);
            crm.generator().runSteps(100);
            await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.received().isEmpty());
            assertThat(events(receiver)).isNotEmpty()
                    .allMatch(e -> e.get("subscriptionType").asText().equals("company.creation"));
        }
    }
}

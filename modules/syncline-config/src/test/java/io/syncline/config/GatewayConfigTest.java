package io.syncline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayConfigTest {

    @Test
    void anAbsentSectionMeansPort8080OneMebibyteFiveMinutesAndNoEndpoints() {
        GatewayConfig gateway = SynclineConfigLoader.parse("", "syncline.yaml").gateway();
        assertThat(gateway.port()).isEqualTo(8080);
        assertThat(gateway.host()).isEqualTo("0.0.0.0");
        assertThat(gateway.maxBodyBytes()).isEqualTo(1_048_576);
        assertThat(gateway.replayWindowSeconds()).isEqualTo(300);
        assertThat(gateway.produceTimeoutMs()).isEqualTo(10_000);
        assertThat(gateway.retryAfterSeconds()).isEqualTo(5);
        assertThat(gateway.endpoints()).isEmpty();
        assertThat(gateway.maxConnectionsPerClient()).isEqualTo(100);
        assertThat(gateway.headerTimeoutMs()).isEqualTo(10_000);
        assertThat(gateway.idleTimeoutMs()).isEqualTo(30_000);
        assertThat(gateway.managementPort()).as("no management server unless asked").isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "max-connections-per-client: 0 | syncline.yaml:2: gateway.max-connections-per-client: expected a positive "
                    + "number of connections, got 0",
            "header-timeout-ms: 50         | syncline.yaml:2: gateway.header-timeout-ms: expected at least 100 ms, got 50",
            "idle-timeout-ms: 0            | syncline.yaml:2: gateway.idle-timeout-ms: expected at least 100 ms, got 0",
            "management-port: 70000        | syncline.yaml:2: gateway.management-port: expected a port between 0 and "
                    + "65535 (0 = any free port), got 70000",
            "management-port: 8080         | syncline.yaml:2: gateway.management-port: expected a port other than "
                    + "gateway.port (8080), so that health and metrics have their own connections and threads"})
    void theLimitsAgainstHostileClientsAreChecked(String line, String message) {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("gateway:\n  " + line.trim() + "\n", "syncline.yaml"))
                .isInstanceOf(ConfigException.class).hasMessage(message.trim());
    }

    @Test
    void theLimitsAgainstHostileClientsAreRead() {
        GatewayConfig gateway = SynclineConfigLoader.parse("""
                gateway:
                  max-connections-per-client: 5
                  header-timeout-ms: 2000
                  idle-timeout-ms: 4000
                  management-port: 8079
                """, "syncline.yaml").gateway();
        assertThat(gateway.maxConnectionsPerClient()).isEqualTo(5);
        assertThat(gateway.headerTimeoutMs()).isEqualTo(2000);
        assertThat(gateway.idleTimeoutMs()).isEqualTo(4000);
        assertThat(gateway.managementPort()).isEqualTo(8079);
        assertThat(gateway.withPort(9000).withHost("127.0.0.1").withEndpoints(List.of()))
                .as("copies keep the limits").extracting(GatewayConfig::headerTimeoutMs, GatewayConfig::managementPort)
                .containsExactly(2000, 8079);
    }

    @Test
    void readsEndpointsWithSchemeDefaultsForKeyAndEventId() {
        GatewayConfig gateway = SynclineConfigLoader.parse("""
                gateway:
                  port: 9000
                  public-base-url: https://hooks.example.com
                  endpoints:
                    - name: stripe
                      scheme: stripe
                      secrets: [env:STRIPE_WEBHOOK_SECRET, "file:/run/secrets/stripe-old"]
                      topic: raw.stripe.{/data/object/object}
                      topics: [raw.stripe.charge, raw.stripe.customer]
                      fallback-topic: raw.stripe.event
                    - name: acme
                      scheme: standard-webhooks
                      secrets: [env:ACME_SECRET]
                      topic: raw.acme.event
                      key: /data/id
                      content-types: [application/json, Application/Cloudevents+JSON]
                """, "syncline.yaml").gateway();
        assertThat(gateway.port()).isEqualTo(9000);
        WebhookEndpointConfig stripe = gateway.endpoints().get(0);
        assertThat(stripe.scheme()).isEqualTo(SignatureScheme.STRIPE);
        assertThat(stripe.secrets()).containsExactly(SecretRef.parse("env:STRIPE_WEBHOOK_SECRET"),
                SecretRef.parse("file:/run/secrets/stripe-old"));
        assertThat(stripe.topicIsTemplate()).isTrue();
        assertThat(stripe.effectiveKey()).isEqualTo("/data/object/id");
        assertThat(stripe.effectiveEventId()).isEqualTo("/id");
        assertThat(stripe.contentTypes()).containsExactly("application/json");
        assertThat(stripe.effectiveBatch()).isEqualTo("none");
        assertThat(stripe.declaredTopics()).containsExactly("raw.stripe.charge", "raw.stripe.customer",
                "raw.stripe.event");
        WebhookEndpointConfig acme = gateway.endpoints().get(1);
        assertThat(acme.effectiveKey()).isEqualTo("/data/id");
        assertThat(acme.effectiveEventId()).isEqualTo("header:webhook-id");
        assertThat(acme.contentTypes()).containsExactly("application/json", "application/cloudevents+json");
    }

    @Test
    void anUnknownSchemeNamesTheLineAndTheSchemesThatExist() {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("""
                gateway:
                  endpoints:
                    - name: stripe
                      scheme: stripe-v2
                      secrets: [env:S]
                      topic: raw.stripe.event
                """, "syncline.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("syncline.yaml:4: gateway.endpoints[0].scheme: expected one of stripe, standard-webhooks, "
                        + "hubspot-v3, zendesk, github, got \"stripe-v2\"");
    }

    @Test
    void anInlineSecretIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("""
                gateway:
                  endpoints:
                    - name: stripe
                      scheme: stripe
                      secrets:
                        - env:STRIPE_OK
                        - whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
                      topic: raw.stripe.event
                """, "syncline.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("syncline.yaml:7: gateway.endpoints[0].secrets[1]: expected a secret reference, env:NAME or "
                        + "file:/path/to/secret; secrets are never written inline")
                .hasMessageNotContaining("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }

    @Test
    void duplicateEndpointNamesPointAtTheSecondAndNameTheFirst() {
        ConfigException e = assertThrows(ConfigException.class, () -> SynclineConfigLoader.parse("""
                gateway:
                  endpoints:
                    - name: stripe
                      scheme: stripe
                      secrets: [env:A]
                      topic: raw.stripe.event
                    - name: stripe
                      scheme: github
                      secrets: [env:B]
                      topic: raw.github.event
                """, "syncline.yaml"));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "syncline.yaml:7: gateway.endpoints[1].name: duplicate endpoint name \"stripe\", already used by "
                        + "gateway.endpoints[0]; each endpoint needs its own name (it is the {endpoint} in "
                        + "/webhooks/{endpoint})");
    }

    @Test
    void reportsEveryBadValueOfAnEndpointAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () -> SynclineConfigLoader.parse("""
                gateway:
                  port: 70000
                  max-body-bytes: 0
                  public-base-url: hooks.example.com
                  endpoints:
                    - name: Stripe Hooks
                      secrets: []
                      topic: raw.stripe.{data.object.object}
                      key: data.object.id
                      event-id: "header:bad header"
                      content-types: [json]
                    - name: hub
                      scheme: hubspot-v3
                      secrets: [env:HUBSPOT_CLIENT_SECRET]
                      topic: raw.hubspot.{/0/subscriptionType}
                """, "syncline.yaml"));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "syncline.yaml:2: gateway.port: expected a port between 0 and 65535 (0 = any free port), got 70000",
                "syncline.yaml:3: gateway.max-body-bytes: expected a positive number of bytes, got 0",
                "syncline.yaml:4: gateway.public-base-url: expected an http:// or https:// URL, got \"hooks.example.com\"",
                "syncline.yaml:6: gateway.endpoints[0].name: expected a name of lower-case letters, digits, - and _ "
                        + "(at most 64, used in /webhooks/{name}), got \"Stripe Hooks\"",
                "syncline.yaml:6: gateway.endpoints[0].scheme: missing; expected one of stripe, standard-webhooks, "
                        + "hubspot-v3, zendesk, github",
                "syncline.yaml:6: gateway.endpoints[0].fallback-topic: missing; a topic template "
                        + "(raw.stripe.{data.object.object}) needs a fixed fallback topic for payloads it cannot fill, "
                        + "e.g. raw.<system>.event",
                "syncline.yaml:6: gateway.endpoints[0].topics: missing; a topic template "
                        + "(raw.stripe.{data.object.object}) needs the list of topics it may produce, e.g."
                        + " [raw.stripe.customer, raw.stripe.charge]: a value the sender chooses must not name a topic"
                        + " (anything else goes to fallback-topic)",
                "syncline.yaml:7: gateway.endpoints[0].secrets: expected at least one secret reference "
                        + "(env:NAME or file:/path); list two while rotating",
                "syncline.yaml:8: gateway.endpoints[0].topic: expected {/json/pointer} placeholders such as "
                        + "{/data/object/object}, got {data.object.object} in \"raw.stripe.{data.object.object}\"",
                "syncline.yaml:9: gateway.endpoints[0].key: expected a JSON Pointer such as /data/object/id, got "
                        + "\"data.object.id\"",
                "syncline.yaml:10: gateway.endpoints[0].event-id: expected header:<Name> with an HTTP header name, got "
                        + "\"header:bad header\"",
                "syncline.yaml:11: gateway.endpoints[0].content-types[0]: expected a media type such as "
                        + "application/json, got \"json\"",
                "syncline.yaml:12: gateway.endpoints[1].fallback-topic: missing; a topic template "
                        + "(raw.hubspot.{/0/subscriptionType}) needs a fixed fallback topic for payloads it cannot "
                        + "fill, e.g. raw.<system>.event",
                "syncline.yaml:12: gateway.endpoints[1].topics: missing; a topic template "
                        + "(raw.hubspot.{/0/subscriptionType}) needs the list of topics it may produce, e.g."
                        + " [raw.stripe.customer, raw.stripe.charge]: a value the sender chooses must not name a topic"
                        + " (anything else goes to fallback-topic)");
    }

    @Test
    void aTemplateMayOnlyProduceTheTopicsItListsAndEachMustFitTheTemplate() {
        ConfigException e = assertThrows(ConfigException.class, () -> SynclineConfigLoader.parse("""
                gateway:
                  endpoints:
                    - name: stripe
                      scheme: stripe
                      secrets: [env:A]
                      topic: raw.stripe.{/data/object/object}
                      topics: [raw.stripe.charge, raw.hubspot.contact, raw.stripe.a.b]
                      fallback-topic: raw.stripe.event
                    - name: fixed
                      scheme: github
                      secrets: [env:B]
                      topic: raw.github.event
                      topics: [raw.github.push]
                """, "syncline.yaml"));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "syncline.yaml:7: gateway.endpoints[0].topics[1]: \"raw.hubspot.contact\" is not a topic the template"
                        + " raw.stripe.{/data/object/object} can produce",
                "syncline.yaml:7: gateway.endpoints[0].topics[2]: \"raw.stripe.a.b\" is not a topic the template"
                        + " raw.stripe.{/data/object/object} can produce",
                "syncline.yaml:13: gateway.endpoints[1].topics: topics lists what a topic template may produce; topic"
                        + " \"raw.github.event\" is not a template");
    }

    @Test
    void routesPickTheTopicByAValueAndBatchesAreOneRecordPerEvent() {
        WebhookEndpointConfig hubspot = SynclineConfigLoader.parse("""
                gateway:
                  endpoints:
                    - name: hubspot
                      scheme: hubspot-v3
                      secrets: [env:H]
                      route: /subscriptionType
                      routes: {"contact.*": raw.hubspot.contact, "deal.*": raw.hubspot.deal}
                      fallback-topic: raw.hubspot.event
                """, "syncline.yaml").gateway().endpoints().get(0);
        assertThat(hubspot.routed()).isTrue();
        assertThat(hubspot.effectiveBatch()).isEqualTo("array");
        assertThat(hubspot.effectiveKey()).isEqualTo("/objectId");
        assertThat(hubspot.effectiveEventId()).isEqualTo("/eventId");
        assertThat(hubspot.declaredTopics()).containsExactly("raw.hubspot.contact", "raw.hubspot.deal",
                "raw.hubspot.event");

        ConfigException e = assertThrows(ConfigException.class, () -> SynclineConfigLoader.parse("""
                gateway:
                  endpoints:
                    - name: hubspot
                      scheme: hubspot-v3
                      secrets: [env:H]
                      topic: raw.hubspot.event
                      route: subscriptionType
                      routes: {"contact.*": "raw.hubspot.{/x}"}
                      batch: many
                """, "syncline.yaml"));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "syncline.yaml:3: gateway.endpoints[0].fallback-topic: missing; routes need a fixed fallback topic for"
                        + " events no route takes, e.g. raw.<system>.event",
                "syncline.yaml:6: gateway.endpoints[0].topic: give either topic (fixed or a template) or route with"
                        + " routes, not both",
                "syncline.yaml:7: gateway.endpoints[0].route: expected a JSON Pointer such as /data/object/id, got"
                        + " \"subscriptionType\"",
                "syncline.yaml:8: gateway.endpoints[0].routes.contact.*: expected a fixed topic name without"
                        + " {placeholders}, got \"raw.hubspot.{/x}\"",
                "syncline.yaml:9: gateway.endpoints[0].batch: expected none (a body is one event) or array (a JSON"
                        + " array of events, one record per event), got \"many\"");
    }

    @Test
    void aFallbackTopicMustBeFixed() {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("""
                gateway:
                  endpoints:
                    - name: stripe
                      scheme: stripe
                      secrets: [env:A]
                      topic: raw.stripe.{/type}
                      topics: [raw.stripe.charge]
                      fallback-topic: raw.stripe.{/id}
                """, "syncline.yaml"))
                .hasMessage("syncline.yaml:8: gateway.endpoints[0].fallback-topic: expected a fixed topic name without "
                        + "{placeholders}, got \"raw.stripe.{/id}\"");
    }

    @Test
    void anEmptyKeyMeansTheEventIdIsTheKey() {
        WebhookEndpointConfig endpoint = SynclineConfigLoader.parse("""
                gateway:
                  endpoints:
                    - name: stripe
                      scheme: stripe
                      secrets: [env:A]
                      topic: raw.stripe.event
                      key: ""
                """, "syncline.yaml").gateway().endpoints().get(0);
        assertThat(endpoint.effectiveKey()).isNull();
        assertThat(endpoint.topicIsTemplate()).isFalse();
        assertThat(List.of(SignatureScheme.values())).extracting(SignatureScheme::toString)
                .containsExactly("stripe", "standard-webhooks", "hubspot-v3", "zendesk", "github");
    }
}

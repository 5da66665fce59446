package io.syncline.gateway;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import io.syncline.config.ConfigException;
import io.syncline.config.GatewayConfig;
import io.syncline.config.SynclineConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What stops the gateway from starting, and what it says; no Kafka is needed to fail these early. */
class WebhookGatewayStartTest {

    private static GatewayConfig config(String yaml) {
        return SynclineConfigLoader.parse(yaml, "start.yaml").gateway();
    }

    private static final String TWO_SECRETS = """
            gateway:
              endpoints:
                - name: stripe
                  scheme: stripe
                  secrets: [env:STRIPE_WEBHOOK_SECRET, env:STRIPE_WEBHOOK_SECRET_OLD]
                  topic: raw.stripe.event
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"start", "check"})
    void aMissingSecretFailsStartAndItsCheckNamingTheReferenceAndEndpointButNoValue(String how) {
        WebhookGateway gateway = WebhookGateway.builder(config(TWO_SECRETS)).bootstrapServers("127.0.0.1:1")
                .environment(Map.of("STRIPE_WEBHOOK_SECRET", "whsec_present_value")).port(0).build();
        assertThatThrownBy(how.equals("start") ? gateway::start : gateway::check)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("gateway endpoint \"stripe\" (gateway.endpoints[0].secrets[1]): secret "
                        + "env:STRIPE_WEBHOOK_SECRET_OLD is not set: export STRIPE_WEBHOOK_SECRET_OLD in the environment "
                        + "of this process")
                .hasMessageNotContaining("whsec_present_value");
    }

    @Test
    void aSecretFileThatCannotBeReadFailsStartNamingThePath(@TempDir Path dir) {
        Path missing = dir.resolve("github-secret");
        GatewayConfig config = config("""
                gateway:
                  endpoints:
                    - name: gh
                      scheme: github
                      secrets: ["file:%s"]
                      topic: raw.github.event
                """.formatted(missing));
        assertThatThrownBy(() -> WebhookGateway.builder(config).bootstrapServers("127.0.0.1:1").port(0)
                .environment(Map.of()).build().start())
                .hasMessageStartingWith("gateway endpoint \"gh\" (gateway.endpoints[0].secrets[0]): secret file:" + missing
                        + " cannot be read");
    }

    @Test
    void aSecretUnusableByItsSchemeFailsStartWithoutItsValue() {
        GatewayConfig config = config("""
                gateway:
                  endpoints:
                    - name: acme
                      scheme: standard-webhooks
                      secrets: [env:ACME]
                      topic: raw.acme.event
                """);
        assertThatThrownBy(() -> WebhookGateway.builder(config).bootstrapServers("127.0.0.1:1").port(0)
                .environment(Map.of("ACME", "whsec_%%%not-base64%%%")).build().start())
                .hasMessage("gateway endpoint \"acme\": secret env:ACME is not a Standard Webhooks secret: expected "
                        + "whsec_ followed by base64")
                .hasMessageNotContaining("not-base64");
    }

    @Test
    void withoutKafkaItSaysHowToGiveIt() {
        assertThatThrownBy(() -> WebhookGateway.builder(GatewayConfig.defaults()).port(0).build().start())
                .hasMessage("the gateway needs Kafka: set bootstrapServers(...) or bootstrap.servers in "
                        + "producerProperties(...)");
    }

    @Test
    void anInvalidConfigBuiltInCodeIsRefusedLikeTheFile() {
        GatewayConfig invalid = new GatewayConfig(null, null, null, 0, null, null, null, null, null);
        assertThatThrownBy(() -> WebhookGateway.builder(invalid).bootstrapServers("127.0.0.1:1").build().start())
                .isInstanceOf(ConfigException.class)
                .hasMessage("gateway config: gateway.max-body-bytes: expected a positive number of bytes, got 0");
    }
}

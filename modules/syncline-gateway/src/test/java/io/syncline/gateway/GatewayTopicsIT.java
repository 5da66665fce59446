package io.syncline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.syncline.config.GatewayConfig;
import io.syncline.config.SynclineConfigLoader;
import io.syncline.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real broker: the raw topics the gateway creates take the partition count the existing raw topics have, so
 * that a gateway whose {@code topic-partitions} differs cannot give the normalizer a raw topic with more partitions
 * than its changelogs (which stops every normalizer instance); on a cluster without raw topics it uses its own.
 */
class GatewayTopicsIT {

    @TempDir
    Path dir;

    private static GatewayConfig config(String topic, String fallback) {
        return SynclineConfigLoader.parse("""
                gateway:
                  topic-partitions: 12
                  endpoints:
                    - name: stripe
                      scheme: stripe
                      secrets: [env:STRIPE_SECRET]
                      topic: %s
                      fallback-topic: %s
                """.formatted(topic, fallback), "GatewayTopicsIT.yaml").gateway();
    }

    @Test
    void newRawTopicsTakeTheCountOfTheExistingRawTopicsAndTheConfiguredOneOnlyWhenThereIsNone() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).build().start();
             Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
            admin.createTopics(List.of(new NewTopic("other.topic", 7, (short) 1))).all().get();
            assertThat(GatewayTopics.ensure(config("raw.stripe.customer", "raw.stripe.event"), client, 30_000))
                    .containsExactlyInAnyOrder("raw.stripe.customer", "raw.stripe.event");
            assertThat(partitions(admin, "raw.stripe.event")).as("no raw topic yet (other.topic is not one): "
                    + "topic-partitions").isEqualTo(12);

            // As in ScaleOutIT: raw topics of 4 exist (created by the normalizer or a connector) before the gateway's.
            try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder(dir.resolve("kafka2")).build().start();
                 Admin admin2 = Admin.create(Map.<String, Object>of("bootstrap.servers", second.bootstrapServers()))) {
                admin2.createTopics(List.of(new NewTopic("raw.hubspot.contact", 4, (short) 1),
                        new NewTopic("raw.zendesk.ticket", 2, (short) 1))).all().get();
                assertThat(GatewayTopics.ensure(config("raw.stripe.customer", "raw.stripe.event"),
                        Map.of("bootstrap.servers", second.bootstrapServers()), 30_000))
                        .containsExactlyInAnyOrder("raw.stripe.customer", "raw.stripe.event");
                assertThat(partitions(admin2, "raw.stripe.customer")).as("the most an existing raw topic has")
                        .isEqualTo(4);
                assertThat(partitions(admin2, "raw.stripe.event")).isEqualTo(4);
            }
        }
    }

    /** A topic created a moment ago may not be in the answering broker's metadata yet: asked until it is. */
    private static int partitions(Admin admin, String topic) {
        TopicDescription d = await().ignoreExceptions().until(() -> admin.describeTopics(List.of(topic))
                .allTopicNames().get().get(topic), t -> t != null);
        return d.partitions().size();
    }
}

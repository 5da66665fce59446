package io.syncline.normalizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * Raw topics of different partition counts on a real broker: the normalizer creates its missing raw topics with the
 * count the existing ones have, keeps running when a raw topic with fewer partitions appears, stops naming the topic,
 * the counts and the fix when one with more appears (the rebalance Kafka Streams fails), and then refuses to start.
 */
class InputPartitionsIT extends WithBrokerAndRegistry {

    @Test
    void aRawTopicWithMorePartitionsThanTheChangelogsStopsTheNormalizerNamingItAndTheFix() throws Exception {
        // metadata.max.age.ms: the pattern subscription sees new topics within a second instead of five minutes.
        NormalizerSettings settings = NormalizerSettings.defaults(broker.bootstrapServers(), registry.url(),
                ItSupport.copyMappings(dir.resolve("mappings")), dir.resolve("state")).withPartitions(5)
                .withApplicationId("partitions-it").withStreams("metadata.max.age.ms", "500");
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("raw.stripe.charge", 2, (short) 1))).all().get();
            try (Normalizer normalizer = Normalizer.create(settings).start();
                 KafkaProducer<byte[], byte[]> producer = ItSupport.producer(broker.bootstrapServers())) {
                assertThat(normalizer.awaitRunning(Duration.ofSeconds(90))).isTrue();
                assertThat(partitions(admin, "raw.stripe.customer")).as("a raw topic the normalizer creates gets the"
                        + " count the existing raw topics have, not normalizer.partitions").isEqualTo(2);
                assertThat(partitions(admin, "canonical.finance.payment.v1")).isEqualTo(5);
                assertThat(partitions(admin, InputPartitions.changelog("partitions-it"))).isEqualTo(2);

                admin.createTopics(List.of(new NewTopic("raw.acme.fewer", 1, (short) 1))).all().get();
                ItSupport.send(producer, "raw.acme.fewer", "{\"id\":\"w_1\"}");
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                        normalizer.metrics().total("syncline.normalizer.dead.lettered"))
                        .as("a raw topic with fewer partitions is read (nothing maps it: dead-lettered)").isEqualTo(1.0));
                assertThat(normalizer.state()).isEqualTo(KafkaStreams.State.RUNNING);

                admin.createTopics(List.of(new NewTopic("raw.acme.more", 3, (short) 1))).all().get();
                await().atMost(Duration.ofSeconds(60)).until(() -> !normalizer.healthy());
                assertThat(normalizer.failure()).isNotNull();
                assertThat(normalizer.failure().getMessage()).contains(
                        "raw topic raw.acme.more has 3 partitions, more than the 2 of the normalizer's state changelog"
                                + " partitions-it-normalizer-ranked-versions-changelog",
                        "create it again with 2 partitions",
                        "kafka-streams-application-reset.sh --application-id partitions-it");
                assertThat(normalizer.health()).containsEntry("status", "DOWN")
                        .extractingByKey("error").asString().contains("raw.acme.more has 3 partitions");
            }

            assertThatThrownBy(() -> Normalizer.create(settings.withStateDir(dir.resolve("state2"))).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the normalizer refuses to start: raw topic raw.acme.more has 3 "
                            + "partitions, more than the 2 of the normalizer's state changelog");
        }
    }

    private static int partitions(Admin admin, String topic) throws Exception {
        return admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions().size();
    }
}

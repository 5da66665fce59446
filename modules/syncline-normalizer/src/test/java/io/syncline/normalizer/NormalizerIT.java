package io.syncline.normalizer;

import static io.syncline.normalizer.ItSupport.fixture;
import static io.syncline.normalizer.ItSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.syncline.normalizer.ItSupport.Read;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** The normalizer on a real broker and the real registry over HTTP: raw in, canonical read back through the registry. */
class NormalizerIT extends WithBrokerAndRegistry {

    @Test
    void rawPaymentsRecordsAppearOnceInTheirCanonicalTopicsReadableThroughTheRegistry() throws Exception {
        NormalizerSettings settings = NormalizerSettings.defaults(broker.bootstrapServers(), registry.url(),
                ItSupport.copyMappings(dir.resolve("mappings")), dir.resolve("state")).withPartitions(3)
                .withMetricsPort(0);
        try (Normalizer normalizer = Normalizer.create(settings).start();
             KafkaProducer<byte[], byte[]> producer = ItSupport.producer(broker.bootstrapServers())) {
            assertThat(normalizer.awaitRunning(Duration.ofSeconds(60))).isTrue();
            String charge = fixture("charge/succeeded-event-unicode.json");
            send(producer, "raw.stripe.charge", charge, "syncline.event-id", "evt_3PkL2nLkdIwHu7ix0aaa0001",
                    "syncline.received-at", "1717171719000");
            send(producer, "raw.stripe.charge", charge, "syncline.event-id", "evt_3PkL2nLkdIwHu7ix0aaa0001",
                    "syncline.received-at", "1717171725000");
            send(producer, "raw.stripe.payment_intent", fixture("payment_intent/succeeded.json"));
            send(producer, "raw.stripe.customer", fixture("customer/created-unicode.json"));
            send(producer, "raw.stripe.customer", fixture("customer/deleted-event.json"));
            send(producer, "raw.stripe.invoice", fixture("invoice/finalized-with-40-lines.json"));
            send(producer, "raw.stripe.refund", fixture("refund/partial-refund-of-charge.json"));

            List<Read> payments = ItSupport.readCanonical(broker.bootstrapServers(), registry.url(),
                    "canonical.finance.payment.v1", r -> r.size() >= 2);
            assertThat(payments).extracting(Read::key).containsExactlyInAnyOrder(
                    "stripe:ch_3PkL2mLkdIwHu7ix0snN0B15", "stripe:pi_3PkL2mLkdIwHu7ix1a2b3c4d");
            GenericRecord payment = payments.stream().filter(r -> r.key().startsWith("stripe:ch_")).findFirst()
                    .orElseThrow().value();
            assertThat(((GenericRecord) payment.get("amount")).get("amount")).isEqualTo(2599L);
            assertThat(payment.get("billing_name")).hasToString("Jürgen Groß");

            List<Read> customers = ItSupport.readCanonical(broker.bootstrapServers(), registry.url(),
                    "canonical.finance.customer.v1", r -> r.size() >= 3);
            assertThat(customers).extracting(Read::key).containsOnly("stripe:cus_Q1w2E3r4T5y6U7");
            assertThat(customers.get(2).value()).as("tombstone after the DELETE").isNull();
            List<Read> invoices = ItSupport.readCanonical(broker.bootstrapServers(), registry.url(),
                    "canonical.finance.invoice.v1", r -> r.size() >= 1);
            assertThat((List<?>) invoices.get(0).value().get("lines")).hasSize(40);
            assertThat(ItSupport.readCanonical(broker.bootstrapServers(), registry.url(),
                    "canonical.finance.refund.v1", r -> r.size() >= 1)).hasSize(1);

            ItSupport.awaitCommitted(broker.bootstrapServers(), settings.applicationId(), normalizer.mappings().topics());
            assertThat(normalizer.metrics().total("syncline.normalizer.dropped.duplicate")).isEqualTo(1.0);
            assertThat(ItSupport.readToEnd(broker.bootstrapServers(), registry.url(),
                    "canonical.finance.payment.v1")).as("the duplicate is not written").hasSize(2);

            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "canonical.finance.payment.v1");
                Config config = admin.describeConfigs(Set.of(topic)).all().get().get(topic);
                assertThat(config.get("cleanup.policy").value()).isEqualTo("compact,delete");
                assertThat(admin.describeTopics(Set.of("canonical.finance.payment.v1")).allTopicNames().get()
                        .get("canonical.finance.payment.v1").partitions()).hasSize(3);
                // The shipped mappings write customers and payments, so the customer-activity join runs by default.
                ConfigResource activity = new ConfigResource(ConfigResource.Type.TOPIC,
                        "canonical.finance.customer-activity.v1");
                assertThat(admin.describeConfigs(Set.of(activity)).all().get().get(activity).get("cleanup.policy")
                        .value()).isEqualTo("compact,delete");
            }
            assertThat(normalizer.customerActivityRuns()).isTrue();

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + normalizer.metricsPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"", "\"state\":\"RUNNING\"",
                    "\"customerActivity\":{\"topic\":\"canonical.finance.customer-activity.v1\"");
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + normalizer.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains(
                    "syncline_normalizer_records_out_total{mapping=\"stripe/charge\",topic=\"raw.stripe.charge\"} 1.0",
                    "syncline_normalizer_dropped_duplicate_total{mapping=\"stripe/charge\",topic=\"raw.stripe.charge\"}"
                            + " 1.0",
                    "syncline_normalizer_processing_latency_seconds_count",
                    // every mapping's counters are listed from the start, at zero until something happens
                    "syncline_normalizer_dropped_stale_total{mapping=\"stripe/refund\",topic=\"raw.stripe.refund\"} 0.0");
            assertThat(metrics.body()).containsPattern(
                    "syncline_normalizer_consumer_lag_records\\{partition=\"\\d+\",topic=\"raw\\.stripe\\.[a-z_.]+\"} 0\\.0")
                    .as("Kafka's deprecated copy of the lag metric, dots replaced, is left out")
                    .doesNotContain("topic=\"raw_stripe_charge\"");
        }
    }
}

package io.syncline.normalizer;

import static io.syncline.normalizer.ItSupport.fixture;
import static io.syncline.normalizer.ItSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.syncline.config.ConfigException;
import io.syncline.normalizer.ItSupport.Read;
import io.syncline.normalizer.dlq.DeadLetter;
import io.syncline.normalizer.dlq.DeadLetterQueue;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/** A mapping error sends records to dlq.normalizer with the reason; after the fix a replay normalizes them once. */
class DeadLetterReplayIT extends WithBrokerAndRegistry {

    @Test
    void aMappingErrorLandsInTheDlqWithItsHeadersAndAReplayAfterTheFixNormalizesItOnce() throws Exception {
        Path mappings = ItSupport.copyMappings(dir.resolve("mappings"));
        Path charge = mappings.resolve("stripe/charge.yaml");
        String good = Files.readString(charge);
        String broken = good.replace("amount: {money: /amount, currency: /currency}",
                "amount: {money: /amount, currency: /currency_code}");
        assertThat(broken).isNotEqualTo(good);
        Files.writeString(charge, broken);
        NormalizerSettings settings = NormalizerSettings.defaults(broker.bootstrapServers(), registry.url(), mappings,
                dir.resolve("state")).withPartitions(2);
        String event = fixture("charge/succeeded-event-unicode.json");
        DeadLetterQueue dlq = new DeadLetterQueue(Map.of("bootstrap.servers", broker.bootstrapServers()),
                "dlq.normalizer");

        try (Normalizer normalizer = Normalizer.create(settings).start();
             KafkaProducer<byte[], byte[]> producer = ItSupport.producer(broker.bootstrapServers())) {
            send(producer, "raw.stripe.charge", event, "syncline.event-id", "evt_3PkL2nLkdIwHu7ix0aaa0001",
                    "syncline.trace-id", "4bf92f3577b34da6a3ce929d0e0e4736");
            await().atMost(Duration.ofSeconds(60)).until(() -> dlq.read(d -> true).size() == 1);
        }
        DeadLetter letter = dlq.read(d -> true).get(0);
        assertThat(letter.keyText()).isEqualTo("ch_3PkL2mLkdIwHu7ix0snN0B15");
        assertThat(letter.valueText()).isEqualTo(event);
        assertThat(letter.headers())
                .containsEntry("syncline.event-id", "evt_3PkL2nLkdIwHu7ix0aaa0001")
                .containsEntry("syncline.trace-id", "4bf92f3577b34da6a3ce929d0e0e4736")
                .containsEntry("syncline.error.class", "io.syncline.mapping.MappingException")
                .containsEntry("syncline.error.message", "amount: an amount needs a currency, but the currency is"
                        + " missing")
                .containsEntry("syncline.error.reason", "mapping")
                .containsEntry("syncline.error.stage", "normalizer")
                .containsEntry("syncline.mapping.file", "mappings/stripe/charge.yaml")
                .containsEntry("syncline.source.topic", "raw.stripe.charge")
                .containsEntry("syncline.attempt", "1")
                .containsKeys("syncline.source.partition", "syncline.source.offset", "syncline.first-seen");
        assertThat(ItSupport.readToEnd(broker.bootstrapServers(), registry.url(), "canonical.finance.payment.v1"))
                .isEmpty();

        Files.writeString(charge, good);
        try (Normalizer fixed = Normalizer.create(settings).start()) {
            assertThat(dlq.replayed()).as("nothing replayed yet").isEmpty();
            assertThat(dlq.replay(dlq.read(d -> d.mappingFile().equals("mappings/stripe/charge.yaml")))).isEqualTo(1);
            assertThat(dlq.replayed()).as("the replay is recorded by position")
                    .containsExactly(dlq.read(d -> true).get(0).position());
            List<Read> payments = ItSupport.readCanonical(broker.bootstrapServers(), registry.url(),
                    "canonical.finance.payment.v1", r -> r.size() >= 1);
            assertThat(payments).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("stripe:ch_3PkL2mLkdIwHu7ix0snN0B15");
                GenericRecord meta = (GenericRecord) r.value().get("metadata");
                assertThat(meta.get("event_id")).hasToString("evt_3PkL2nLkdIwHu7ix0aaa0001");
                assertThat(meta.get("trace_id")).hasToString("4bf92f3577b34da6a3ce929d0e0e4736");
            });

            // Replaying the same dead letter again is harmless: the event id was seen.
            dlq.replay(dlq.read(d -> true));
            ItSupport.awaitCommitted(broker.bootstrapServers(), settings.applicationId(), fixed.mappings().topics());
            assertThat(fixed.metrics().total("syncline.normalizer.dropped.duplicate")).isEqualTo(1.0);
            assertThat(ItSupport.readToEnd(broker.bootstrapServers(), registry.url(), "canonical.finance.payment.v1"))
                    .hasSize(1);
            assertThat(dlq.read(d -> true)).as("nothing new failed").hasSize(1);
        }
    }

    @Test
    void aBrokenMappingRefusesToStartNamingFileLineAndProblem() throws Exception {
        Path mappings = ItSupport.copyMappings(dir.resolve("refused"));
        Path refund = mappings.resolve("stripe/refund.yaml");
        Files.writeString(refund, Files.readString(refund).replace("  failure_reason: /failure_reason",
                "  failure_reasons: /failure_reason"));
        NormalizerSettings settings = NormalizerSettings.defaults(broker.bootstrapServers(), registry.url(), mappings,
                dir.resolve("refused-state"));
        try {
            Normalizer.create(settings);
            throw new AssertionError("expected the normalizer to refuse the mapping");
        } catch (ConfigException e) {
            assertThat(e.getMessage()).matches("(?s)refused/stripe/refund\\.yaml:\\d+: fields\\.failure_reasons: no"
                    + " field \"failure_reasons\" in io\\.syncline\\.schemas\\.finance\\.Refund.*");
        }
    }
}

package io.syncline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import io.syncline.delivery.testing.Canonical;
import io.syncline.schemas.finance.Customer;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class DeadLetterRoundTripTest {

    @Test
    void aDeadLetteredCanonicalRecordIsWrittenWithItsOriginalSchemaIdAndBytes() {
        Canonical canonical = new Canonical("mock://dead-letter-round-trip");
        Customer customer = Canonical.customer("cus_1", "ada@example.com", "Ada Lovelace", "evt_1",
                Instant.parse("2024-05-01T12:00:00Z"));
        byte[] original = canonical.bytes(Canonical.CUSTOMER_TOPIC, customer);
        SinkRecord record = canonical.sinkRecord(Canonical.CUSTOMER_TOPIC, 0, 7, "stripe:cus_1", customer);

        SinkRecord dead = DeadLetters.withErrorHeaders(record, new DeliveryFailure("rejected", "400", "X", 400,
                "{}", 1), Instant.now(), "sink.test");
        byte[] written = canonical.converter().fromConnectData(dead.topic(), dead.valueSchema(), dead.value());

        assertThat(written).isEqualTo(original);
    }
}

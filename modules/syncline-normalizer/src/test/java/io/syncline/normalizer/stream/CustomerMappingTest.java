package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.syncline.normalizer.stream.NormalizerDriver.Canonical;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** mappings/stripe/customer.yaml: Stripe customers → canonical.finance.customer.v1, deletes included. */
class CustomerMappingTest extends StripeMappingTestSupport {

    private static final String TOPIC = "canonical.finance.customer.v1";

    @Test
    void aNewCustomerWithUnicodeIsTrimmedAndLowerCasedAndHasNoBalanceYet() {
        pipe("customer", "created-unicode.json");

        GenericRecord c = out(TOPIC).get(0).value();
        assertThat(str(c.get("id"))).isEqualTo("stripe:cus_Q1w2E3r4T5y6U7");
        assertThat(str(c.get("email"))).isEqualTo("maria.conceição@exemplo.com.br");
        assertThat(str(c.get("name"))).isEqualTo("Maria da Conceição");
        assertThat(str(c.get("description"))).isEqualTo("Cliente preferencial 🌟");
        GenericRecord address = rec(c.get("address"));
        assertThat(str(address.get("city"))).isEqualTo("São Paulo");
        assertThat(str(address.get("line2"))).isEqualTo("Conj. 42");
        assertThat(str(address.get("country"))).isEqualTo("BR");
        assertThat(c.get("currency")).isNull();
        assertThat(c.get("balance")).as("no currency yet, so no balance").isNull();
        assertThat(c.get("created_at")).isEqualTo(1_717_000_000_000L);
        assertThat(strings(c.get("properties"))).isEqualTo(Map.of("crm_id", "51", "tier", "gold"));
    }

    @Test
    void aCreditBalanceIsNegativeMoneyInTheCustomersCurrency() {
        pipe("customer", "updated-with-credit-balance.json");

        GenericRecord c = out(TOPIC).get(0).value();
        assertThat(str(c.get("currency"))).isEqualTo("BRL");
        assertThat(amount(c, "balance")).isEqualTo(-2500L);
        assertThat(currency(c, "balance")).isEqualTo("BRL");
    }

    @Test
    void aCustomerDeletedEventIsADeleteFollowedByATombstone() {
        pipe("customer", "created-unicode.json");
        pipe("customer", "deleted-event.json");

        List<Canonical> out = out(TOPIC);
        assertThat(out).hasSize(3);
        assertThat(str(meta(out.get(1).value()).get("operation"))).isEqualTo("DELETE");
        assertThat(str(meta(out.get(1).value()).get("source_event_type"))).isEqualTo("customer.deleted");
        assertThat(out.get(2).key()).isEqualTo("stripe:cus_Q1w2E3r4T5y6U7");
        assertThat(out.get(2).value()).isNull();
    }

    @Test
    void aDeletedCustomerSnapshotIsADeleteWithOnlyItsIdentity() {
        pipe("customer", "deleted-snapshot.json", "syncline.received-at", "1717300000000",
                "syncline.event-id", "cus_Deleted0000001@1717300000000");

        List<Canonical> out = out(TOPIC);
        assertThat(out).hasSize(2);
        GenericRecord c = out.get(0).value();
        assertThat(str(c.get("id"))).isEqualTo("stripe:cus_Deleted0000001");
        assertThat(str(meta(c).get("operation"))).isEqualTo("DELETE");
        assertThat(meta(c).get("source_updated_at")).isEqualTo(1_717_300_000_000L);
        assertThat(c.get("email")).isNull();
        assertThat(out.get(1).value()).isNull();
    }

    @Test
    void anUpdateOlderThanTheDeleteIsDroppedAsStale() {
        pipe("customer", "deleted-event.json");
        pipe("customer", "updated-with-credit-balance.json");

        assertThat(out(TOPIC)).hasSize(2);
        assertThat(driver.metrics().count("syncline.normalizer.dropped.stale", "stripe/customer")).isEqualTo(1.0);
    }

    @Test
    void aBackfillSnapshotWithNullsMapsToNulls() {
        pipe("customer", "backfill-snapshot.json", "syncline.received-at", "1717300000000");

        GenericRecord c = out(TOPIC).get(0).value();
        assertThat(c.get("email")).isNull();
        assertThat(c.get("name")).isNull();
        assertThat(c.get("address")).isNull();
        assertThat(str(meta(c).get("event_id"))).isEqualTo("stripe:cus_Backfill00001@1717300000000");
    }
}

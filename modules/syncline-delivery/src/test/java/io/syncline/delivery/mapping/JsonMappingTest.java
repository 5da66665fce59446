package io.syncline.delivery.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.delivery.testing.Canonical;
import io.syncline.schemas.finance.PaymentStatus;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class JsonMappingTest {

    private static final Canonical CANONICAL = new Canonical("mock://json-mapping-test");
    private static final Instant T = Instant.parse("2024-05-01T12:30:00Z");

    private static SinkRecord customer(String name) {
        return CANONICAL.sinkRecord(Canonical.CUSTOMER_TOPIC, 2, 41, "stripe:cus_1",
                Canonical.customer("cus_1", "Ada@Example.COM", name, "evt_1", T));
    }

    private static SinkRecord payment(long amount, String currency) {
        return CANONICAL.sinkRecord(Canonical.PAYMENT_TOPIC, 0, 7, "stripe:ch_1",
                Canonical.payment("ch_1", "cus_1", amount, currency, PaymentStatus.SUCCEEDED, "evt_9", T));
    }

    @Test
    void mapsFieldsNestedPathsLiteralsAndRecordAttributesWithTransforms() {
        JsonMapping mapping = JsonMapping.parse(List.of("email=email|lower", "name.first=name|given_name",
                "name.last=name|family_name", "source='syncline'", "event=metadata.event_id", "id=$key",
                "topic=$topic", "offset=$offset", "day=metadata.source_updated_at|date",
                "at=metadata.source_updated_at", "ms=metadata.source_updated_at|epoch_millis", "nothing=description"));

        JsonNode json = mapping.apply(customer("Jane van Dyke"), true);

        assertThat(json.toString()).isEqualTo("{\"email\":\"ada@example.com\",\"name\":{\"first\":\"Jane\","
                + "\"last\":\"van Dyke\"},\"source\":\"syncline\",\"event\":\"evt_1\",\"id\":\"stripe:cus_1\","
                + "\"topic\":\"canonical.finance.customer.v1\",\"offset\":41,\"day\":\"2024-05-01\","
                + "\"at\":\"2024-05-01T12:30:00Z\",\"ms\":1714566600000}");
    }

    @Test
    void keepsNullsWhenAskedTo() {
        JsonNode json = JsonMapping.parse(List.of("d=description", "last=name|family_name")).apply(customer("Cher"),
                false);
        assertThat(json.toString()).isEqualTo("{\"d\":null,\"last\":null}");
    }

    @Test
    void anEmptyMappingSendsTheWholeRecordWithSnakeCaseFieldsAndIsoTimestamps() {
        JsonNode json = JsonMapping.parse(List.of()).apply(payment(1999, "USD"), true);

        assertThat(json.get("id").asText()).isEqualTo("stripe:ch_1");
        assertThat(json.get("customer_id").asText()).isEqualTo("stripe:cus_1");
        assertThat(json.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(json.get("amount").toString()).isEqualTo("{\"amount\":1999,\"currency\":\"USD\"}");
        assertThat(json.get("metadata").get("source_updated_at").asText()).isEqualTo("2024-05-01T12:30:00Z");
        assertThat(json.get("metadata").get("operation").asText()).isEqualTo("UPSERT");
    }

    @Test
    void moneyBecomesADecimalInMajorUnitsPerTheCurrency() {
        JsonMapping mapping = JsonMapping.parse(List.of("amount=amount|money", "text=amount|money|string"));
        assertThat(mapping.apply(payment(1999, "USD"), true).toString())
                .isEqualTo("{\"amount\":19.99,\"text\":\"19.99\"}");
        assertThat(mapping.apply(payment(500, "JPY"), true).toString())
                .isEqualTo("{\"amount\":500,\"text\":\"500\"}");
        assertThat(mapping.apply(payment(1000, "BHD"), true).get("amount").decimalValue()).isEqualByComparingTo("1.000");
    }

    @Test
    void aRecordTheMappingCannotConvertFailsWithTheEntryAndTheReason() {
        JsonMapping mapping = JsonMapping.parse(List.of("amount=amount|money"));
        assertThatThrownBy(() -> mapping.apply(payment(1, "XYZ"), true))
                .isInstanceOf(MappingException.class)
                .hasMessage("mapping amount=amount|money: 'XYZ' is not an ISO-4217 currency code");
        assertThatThrownBy(() -> JsonMapping.parse(List.of("d=email|date")).apply(customer("A"), true))
                .isInstanceOf(MappingException.class)
                .hasMessage("mapping d=email|date: 'Ada@Example.COM' is not a timestamp (expected epoch "
                        + "milliseconds or an ISO-8601 instant)");
    }

    @Test
    void badEntriesAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> JsonMapping.parse(List.of("email")))
                .hasMessage("mapping entry 'email' is not target=source (expected e.g. email=email|lower or "
                        + "source='stripe')");
        assertThatThrownBy(() -> JsonMapping.parse(List.of("email=email|shout")))
                .hasMessage("mapping entry 'email=email|shout': unknown transform 'shout' (expected one of lower, "
                        + "upper, trim, given_name, family_name, date, datetime, epoch_millis, money, string)");
        assertThatThrownBy(() -> JsonMapping.parse(List.of("a=email", "a.b=name")))
                .hasMessage("mapping entry 'a.b=name' writes inside 'a', which another entry sets to a value");
        assertThatThrownBy(() -> JsonMapping.parse(List.of("a=email", "a=name")))
                .hasMessage("mapping entry 'a=name' sets 'a' a second time");
        assertThatThrownBy(() -> JsonMapping.parse(List.of("a=$id")))
                .hasMessage("mapping entry 'a=$id': '$id' is not a record attribute (expected one of $key, $topic, "
                        + "$partition, $offset)");
        assertThatThrownBy(() -> JsonMapping.parse(List.of("a=meta..id")))
                .hasMessage("mapping entry 'a=meta..id': 'meta..id' is not a field path (expected names joined by "
                        + "dots, e.g. metadata.event_id)");
    }
}

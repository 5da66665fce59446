package io.syncline.connect.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class RawRecordsTest {

    private final RawRecords raw = new RawRecords("stripe-main", new PaymentsSourceConfig(Map.of(
            PaymentsSourceConfig.API_KEY, "sk_test_1", PaymentsSourceConfig.TOPIC_PREFIX, "raw.acme.stripe.")));

    private static Map<String, String> headers(SourceRecord r) {
        Map<String, String> out = new HashMap<>();
        for (Header h : r.headers()) {
            out.put(h.key(), (String) h.value());
        }
        return out;
    }

    @Test
    void aSnapshotIsTheObjectAsReceivedKeyedByItsIdWithADeterministicEventId() {
        byte[] json = "{\"id\":\"cus_1\", \"object\":\"customer\",\"created\":5}".getBytes(StandardCharsets.UTF_8);
        ListPage.Item item = new ListPage.Item("cus_1", "customer", 5, json, null, null);

        SourceRecord r = raw.snapshot(Map.of("object", "customer"), Map.of("phase", "backfill"), StripeObject.CUSTOMER,
                item, 1_700_000_000L, 1_700_000_123_456L);

        assertThat(r.topic()).isEqualTo("raw.acme.stripe.customer");
        assertThat(r.key()).isEqualTo("cus_1");
        assertThat(r.keySchema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(r.valueSchema()).isEqualTo(Schema.BYTES_SCHEMA);
        assertThat((byte[]) r.value()).isEqualTo(json);
        assertThat(r.timestamp()).isEqualTo(1_700_000_123_456L);
        assertThat(r.sourcePartition()).isEqualTo(Map.of("object", "customer"));
        assertThat(r.sourceOffset()).isEqualTo(Map.of("phase", "backfill"));
        Map<String, String> h = headers(r);
        assertThat(h).containsEntry("syncline.source", "stripe-api:stripe-main")
                .containsEntry("syncline.event-id", "cus_1@backfill:1700000000")
                .containsEntry("syncline.received-at", "1700000123456");
        assertThat(h.get("syncline.trace-id")).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        assertThat(r.headers()).hasSize(4);
    }

    @Test
    void anEventIsTheEnvelopeKeyedAndRoutedByItsObject() {
        byte[] json = "{\"id\":\"evt_7\",\"object\":\"event\",\"type\":\"charge.refund.updated\",\"created\":9,\"data\":{\"object\":{\"id\":\"re_3\",\"object\":\"refund\"}}}"
                .getBytes(StandardCharsets.UTF_8);
        ListPage.Item item = new ListPage.Item("evt_7", "event", 9, json, "re_3", "refund");

        SourceRecord r = raw.event(Map.of("object", "refund"), Map.of("phase", "incremental"), item, 42L);

        assertThat(r.topic()).isEqualTo("raw.acme.stripe.refund");
        assertThat(r.key()).isEqualTo("re_3");
        assertThat((byte[]) r.value()).isEqualTo(json);
        assertThat(headers(r)).containsEntry("syncline.event-id", "evt_7").containsEntry("syncline.received-at", "42");
    }

    @Test
    void everyRecordGetsANewTraceId() {
        ListPage.Item item = new ListPage.Item("evt_7", "event", 9, "{}".getBytes(StandardCharsets.UTF_8), "re_3",
                "refund");
        SourceRecord first = raw.event(Map.of("object", "refund"), Map.of("phase", "incremental"), item, 42L);
        SourceRecord second = raw.event(Map.of("object", "refund"), Map.of("phase", "incremental"), item, 42L);

        assertThat(headers(first).get("syncline.trace-id")).isNotEqualTo(headers(second).get("syncline.trace-id"));
    }
}

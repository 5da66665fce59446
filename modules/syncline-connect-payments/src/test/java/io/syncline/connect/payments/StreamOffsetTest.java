package io.syncline.connect.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class StreamOffsetTest {

    @Test
    void offsetsHoldOnlyPrimitiveValuesAsConnectRequires() {
        Map<String, Object> map = new StreamOffset.Incremental(new EventCursor(9, List.of("evt_1", "evt_2"))).toMap();
        assertThat(map).containsExactly(Map.entry("v", 1), Map.entry("phase", "incremental"), Map.entry("second", 9L),
                Map.entry("seen", "evt_1,evt_2"));
        assertThat(new StreamOffset.Backfill(1, null).toMap().values())
                .allMatch(v -> v == null || v instanceof String || v instanceof Number);
    }

    @Test
    void backfillAndIncrementalOffsetsRoundTrip() {
        StreamOffset backfill = new StreamOffset.Backfill(1_700_000_000L, "ch_9");
        StreamOffset first = new StreamOffset.Backfill(1_700_000_000L, null);
        StreamOffset incremental = new StreamOffset.Incremental(new EventCursor(1_700_000_042L, List.of("evt_1", "evt_2")));

        assertThat(backfill.toMap()).containsExactly(Map.entry("v", 1), Map.entry("phase", "backfill"),
                Map.entry("t0", 1_700_000_000L), Map.entry("after", "ch_9"));
        assertThat(StreamOffset.fromMap(StripeObject.CHARGE, backfill.toMap())).isEqualTo(backfill);
        assertThat(StreamOffset.fromMap(StripeObject.CHARGE, first.toMap())).isEqualTo(first);
        assertThat(StreamOffset.fromMap(StripeObject.CHARGE, incremental.toMap())).isEqualTo(incremental);
    }

    @Test
    void readsNumbersOfAnyIntegralTypeAsConnectMayReturnThem() {
        Map<String, Object> stored = new HashMap<>(Map.of("v", 1, "phase", "incremental", "second", 1234,
                "seen", ""));
        assertThat(StreamOffset.fromMap(StripeObject.REFUND, stored))
                .isEqualTo(new StreamOffset.Incremental(EventCursor.startOf(1234)));
    }

    @Test
    void boundsTheSeenIdsStoredButNeverDropsTheCursorSecond() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < StreamOffset.MAX_SEEN_IN_OFFSET + 10; i++) {
            many.add("evt_" + i);
        }
        Map<String, Object> map = new StreamOffset.Incremental(new EventCursor(5, many)).toMap();
        assertThat(((String) map.get("seen")).split(",")).hasSize(StreamOffset.MAX_SEEN_IN_OFFSET);
        assertThat(map.get("second")).isEqualTo(5L);
    }

    @Test
    void aForeignOffsetFailsNamingTheObjectAndTheWayOut() {
        assertThatThrownBy(() -> StreamOffset.fromMap(StripeObject.INVOICE, Map.of("position", 12)))
                .isInstanceOf(ConnectException.class)
                .hasMessage("the stored offset of invoice is not one this connector wrote (unknown phase 'null'): "
                        + "{position=12}. Reset the connector's offsets (DELETE /connectors/<name>/offsets while it "
                        + "is stopped) to sync it again from the start");
        assertThatThrownBy(() -> StreamOffset.fromMap(StripeObject.INVOICE, Map.of("phase", "backfill", "t0", "x")))
                .hasMessageContaining("(t0 is not a number)");
        assertThatThrownBy(() -> StreamOffset.fromMap(StripeObject.INVOICE,
                Map.of("phase", "incremental", "second", 1, "seen", List.of("evt_1"))))
                .hasMessageContaining("(seen is not a string)");
    }
}

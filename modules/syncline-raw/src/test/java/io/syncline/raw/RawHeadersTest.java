package io.syncline.raw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RawHeadersTest {

    @Test
    void writesEveryHeaderInDeclarationOrderWithReceivedAtInDecimalMillis() {
        Map<String, String> written = new LinkedHashMap<>();
        new RawHeaders("stripe-webhook:stripe", "evt_1", 1717171719000L, "4bf92f3577b34da6a3ce929d0e0e4736", "stripe")
                .forEach(written::put);

        assertThat(written).containsExactly(
                Map.entry("syncline.source", "stripe-webhook:stripe"),
                Map.entry("syncline.event-id", "evt_1"),
                Map.entry("syncline.received-at", "1717171719000"),
                Map.entry("syncline.trace-id", "4bf92f3577b34da6a3ce929d0e0e4736"),
                Map.entry("syncline.endpoint", "stripe"));
    }

    @Test
    void aPolledRecordCarriesExactlyTheHeadersEveryRecordCarries() {
        Map<String, String> written = new LinkedHashMap<>();
        RawHeaders.polled(RawHeaders.source("stripe-api", "stripe-main"),
                RawHeaders.snapshotEventId("cus_1", 1700000000L), 42L, RawHeaders.newTraceId()).forEach(written::put);

        assertThat(written.keySet()).containsExactlyElementsOf(
                RawHeader.onEveryRecordHeaders().stream().map(RawHeader::key).toList());
        assertThat(written).containsEntry("syncline.source", "stripe-api:stripe-main")
                .containsEntry("syncline.event-id", "cus_1@backfill:1700000000");
    }

    @Test
    void onlyTheEndpointIsLeftOutOfTheHeadersEveryRecordCarries() {
        assertThat(RawHeader.onEveryRecordHeaders()).containsExactly(RawHeader.SOURCE, RawHeader.EVENT_ID,
                RawHeader.RECEIVED_AT, RawHeader.TRACE_ID);
    }

    @Test
    void refusesAMissingValueNamingTheHeader() {
        assertThatNullPointerException().isThrownBy(() -> RawHeaders.polled("s", null, 1, "t"))
                .withMessage("syncline.event-id");
    }

    @ParameterizedTest(name = "\"{0}\" → {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "1717171719000            | 1717171719000",
            "'  1717171719000 '       | 1717171719000",
            "2024-03-01T10:00:00Z     | 1709287200000",
            "2024-03-01T10:00:00.250Z | 1709287200250",
            "yesterday                | -1",
            "''                       | -1",
            "NULL                     | -1"})
    void readsReceivedAtAsDecimalMillisOrAnInstantElseTheFallback(String value, long expected) {
        assertThat(RawHeaders.receivedAtMillis(value, -1)).isEqualTo(expected);
    }

    @Test
    void newTraceIdsAreThirtyTwoLowerHexDigitsAndDiffer() {
        var ids = IntStream.range(0, 100).mapToObj(i -> RawHeaders.newTraceId()).toList();
        assertThat(ids).allSatisfy(id -> assertThat(id).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32)));
        assertThat(ids).doesNotHaveDuplicates();
    }
}

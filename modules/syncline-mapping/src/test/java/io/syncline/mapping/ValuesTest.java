package io.syncline.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Conversions of source values: timestamps in their formats, text and JSON of any value. */
class ValuesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void timestampsReadSecondsMillisIsoAndAuto() throws Exception {
        MappingContext ctx = new MappingContext().reset(JSON.readTree("{}"), null, null, null, "t", 0, 0, 0, 0);
        assertThat(Values.timestamp(JSON.readTree("1700000000"), Values.TimeFormat.UNIX_SECONDS, "t"))
                .isEqualTo(1_700_000_000_000L);
        assertThat(Values.timestamp(JSON.readTree("1700000000.5"), Values.TimeFormat.UNIX_SECONDS, "t"))
                .isEqualTo(1_700_000_000_500L);
        assertThat(Values.timestamp("1700000000123", Values.TimeFormat.UNIX_MILLIS, "t")).isEqualTo(1_700_000_000_123L);
        assertThat(Values.timestamp("2024-03-01T10:00:00.250+01:00", Values.TimeFormat.ISO_8601, "t"))
                .isEqualTo(1_709_283_600_250L);
        assertThat(Values.timestamp("1700000000", Values.TimeFormat.AUTO, "t")).isEqualTo(1_700_000_000_000L);
        assertThat(Values.timestamp("1700000000123", Values.TimeFormat.AUTO, "t")).isEqualTo(1_700_000_000_123L);
        assertThat(Values.timestamp("2024-03-01T09:00:00Z", Values.TimeFormat.AUTO, "t")).isEqualTo(1_709_283_600_000L);
        assertThatThrownBy(() -> Values.timestamp("2024-03-01T09:00:00", Values.TimeFormat.ISO_8601, "t"))
                .hasMessageContaining("expected an ISO-8601 timestamp with a zone offset");
        assertThat(ctx.header("missing")).isNull();
    }

    @Test
    void numbersAreMillisAndTextIsIsoWhereAnInstantIsWrittenOut() throws Exception {
        // What date, datetime and epoch-millis read: small numbers are not taken as seconds.
        assertThat(Values.timestamp(5L, Values.TimeFormat.MILLIS_OR_ISO, "t")).isEqualTo(5L);
        assertThat(Values.timestamp(JSON.readTree("1700000000"), Values.TimeFormat.MILLIS_OR_ISO, "t"))
                .isEqualTo(1_700_000_000L);
        assertThat(Values.timestamp("2024-03-01", Values.TimeFormat.MILLIS_OR_ISO, "t")).isEqualTo(1_709_251_200_000L);
        assertThat(Values.TimeFormat.of("millis-or-iso")).isNull();
        assertThat(Values.isoInstant(1_709_283_600_000L)).isEqualTo("2024-03-01T09:00:00Z");
        assertThat(Values.isoInstant(1_709_283_600_250L)).isEqualTo("2024-03-01T09:00:00.250Z");
    }

    @Test
    void anyValueAsTextAndAsJson() throws Exception {
        assertThat(Values.anyText(JSON.readTree("{\"a\":[1,true]}"))).isEqualTo("{\"a\":[1,true]}");
        assertThat(Values.anyText(ExprCompiler.NODES.numberNode(new BigDecimal("1E+3")))).isEqualTo("1000");
        assertThat(Values.anyText(12L)).isEqualTo("12");
        assertThat(Values.anyText(JSON.readTree("null"))).isNull();
        assertThat(Values.json(12L)).hasToString("12");
        assertThat(Values.json("x")).hasToString("\"x\"");
        assertThat(Values.json(JSON.readTree("null"))).isNull();
        assertThat(Values.json(new BigDecimal("19.90"))).hasToString("19.90");
    }

    /** Plain UTC text (read without Instant.parse) and other ISO text give the same instants as Instant.parse. */
    @ParameterizedTest
    @ValueSource(strings = {"2024-05-31T10:00:00.000Z", "2024-05-31T10:00:00Z", "2024-05-31T10:00:00.123456789Z",
            "1969-12-31T23:59:59.999Z", "2024-05-31t10:00:00z", "2024-05-31T23:59:60Z"})
    void isoUtcTimestampsReadAsInstantParseReadsThem(String text) {
        assertThat(Values.timestamp(text, Values.TimeFormat.ISO_8601, "t"))
                .isEqualTo(Instant.parse(text.toUpperCase(java.util.Locale.ROOT)).toEpochMilli());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-02-29T10:00:00Z", "2024-13-01T10:00:00Z", "2024-05-31T24:00:01Z"})
    void impossibleUtcTimestampsAreRefusedAsBefore(String text) {
        assertThatThrownBy(() -> Values.timestamp(text, Values.TimeFormat.ISO_8601, "t"))
                .hasMessageContaining("expected an ISO-8601 timestamp with a zone offset");
    }
}

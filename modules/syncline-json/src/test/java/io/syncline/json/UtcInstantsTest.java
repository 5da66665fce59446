package io.syncline.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The digit-by-digit reading of plain UTC instants agrees with {@link Instant#parse}, or leaves the text to it. */
class UtcInstantsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2024-05-31T10:00:00.000Z", "2024-05-31T10:00:00Z", "2024-05-31T10:00:00.1Z",
            "2024-05-31T10:00:00.12Z", "2024-05-31T10:00:00.123456789Z", "1969-12-31T23:59:59.999Z",
            "0001-01-01T00:00:00Z", "1900-02-28T23:59:59.5Z", "2000-02-29T12:00:00Z",
            "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z", "1600-03-01T00:00:00.001Z"})
    void plainUtcTextIsReadAsInstantParseReadsIt(String text) {
        long expected = Instant.parse(text).toEpochMilli();
        assertThat(UtcInstants.plainMillis(text)).isEqualTo(expected);
        assertThat(UtcInstants.toEpochMilli(text)).isEqualTo(expected);
    }

    /** Not the plain form, or out of range: left to Instant.parse, which accepts or refuses it as before. */
    @ParameterizedTest
    @ValueSource(strings = {"2023-02-29T10:00:00Z", "2024-13-01T10:00:00Z", "2024-00-10T10:00:00Z",
            "2024-04-31T10:00:00Z", "2024-05-31T24:00:00Z", "2024-05-31T23:60:00Z", "2024-05-31T23:59:60Z",
            "2024-05-31t10:00:00z", "2024-05-31T10:00:00.Z", "2024-05-31T10:00:00.1234567890Z", "2024-05-31T10:00Z",
            "+2024-05-31T10:00:00Z", "2024-05-31T10:00:00,5Z", "2024-5-31T10:00:00.00Z", "2024-05-31T1a:00:00Z",
            "2024-05-31 10:00:00Z", "2024-05-31T10:00:00.12aZ", "2024-05-00T10:00:00Z", "2024-05-31T10:00:00+00:00",
            "", "Z"})
    void otherTextIsLeftToInstantParse(String text) {
        assertThat(UtcInstants.plainMillis(text)).isEqualTo(UtcInstants.NOT_PLAIN);
        Long viaInstant;
        try {
            viaInstant = Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            viaInstant = null;
        }
        if (viaInstant == null) {
            assertThatThrownBy(() -> UtcInstants.toEpochMilli(text)).isInstanceOf(DateTimeParseException.class);
        } else {
            assertThat(UtcInstants.toEpochMilli(text)).isEqualTo(viaInstant);
        }
    }

    /** Random instants over ±250 years around 1970, with 0 to 9 fraction digits. */
    @Test
    void randomPlainUtcInstantsAgreeWithInstantParse() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            String base = Instant.ofEpochSecond(random.nextLong(-8_000_000_000L, 8_000_000_000L)).toString();
            StringBuilder text = new StringBuilder(base.substring(0, base.length() - 1));
            int digits = random.nextInt(10);
            if (digits > 0) {
                text.append('.');
                for (int d = 0; d < digits; d++) {
                    text.append((char) ('0' + random.nextInt(10)));
                }
            }
            String t = text.append('Z').toString();
            assertThat(UtcInstants.plainMillis(t)).as(t).isEqualTo(Instant.parse(t).toEpochMilli());
        }
    }
}

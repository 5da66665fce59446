package io.syncline.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Retry-After and rate-limit reset headers. */
class RetryAfterTest {
    // Sun, 06 Nov 1994 08:49:37 GMT is RFC 9110's example date.
    private static final Instant NOW = Instant.parse("1994-11-06T08:49:00Z");

    @Test
    void parsesDeltaSeconds() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
    }

    @Test
    void parsesTheThreeHttpDateFormats() {
        Duration expected = Duration.ofSeconds(37);
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).contains(expected);
        assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).contains(expected);
        assertThat(RetryAfter.parse("Sun Nov  6 08:49:37 1994", NOW)).contains(expected);
    }

    @Test
    void treatsAPastDateAsNow() {
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void ignoresValuesItCannotParse() {
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    }

    @Test
    void readsRateLimitResetHeadersOnlyOn429() {
        // Epoch-second resets are told apart from delta seconds by size, so this needs a present-day clock.
        Instant now = Instant.parse("2026-03-01T00:00:00Z");
        Headers delta = headers("X-RateLimit-Reset", "30");
        Headers epoch = headers("x-ratelimit-reset", Long.toString(now.getEpochSecond() + 45));
        Headers draft = headers("RateLimit-Reset", "12");

        assertThat(RetryAfter.fromResponse(429, delta, now)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.fromResponse(429, epoch, now)).contains(Duration.ofSeconds(45));
        assertThat(RetryAfter.fromResponse(429, draft, now)).contains(Duration.ofSeconds(12));
        assertThat(RetryAfter.fromResponse(503, delta, now)).isEmpty();
    }

    @Test
    void prefersRetryAfterOverResetHeaders() {
        Headers both = Headers.of(List.of(Map.entry("Retry-After", "5"), Map.entry("X-RateLimit-Reset", "60")));
        assertThat(RetryAfter.fromResponse(429, both, NOW)).contains(Duration.ofSeconds(5));
    }

    private static Headers headers(String name, String value) {
        return Headers.of(List.of(Map.entry(name, value)));
    }
}

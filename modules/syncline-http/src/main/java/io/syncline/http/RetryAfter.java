package io.syncline.http;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses how long a server asks us to wait: {@code Retry-After} (RFC 9110 §10.2.3) and, on 429 only, the
 * {@code RateLimit-Reset} / {@code X-RateLimit-Reset} headers many APIs send instead.
 */
public final class RetryAfter {

    // RFC 9110 §5.6.7: recipients must accept IMF-fixdate and the two obsolete formats.
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.US);
    private static final DateTimeFormatter ASCTIME = new DateTimeFormatterBuilder()
            .appendPattern("EEE MMM")
            .appendLiteral(' ')
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("d HH:mm:ss yyyy")
            .toFormatter(Locale.US);

    // An X-RateLimit-Reset above this is an epoch second (GitHub), below it a number of seconds to wait.
    private static final long EPOCH_SECONDS_THRESHOLD = 1_000_000_000L;

    private RetryAfter() {
    }

    /**
     * Parses a {@code Retry-After} value: delta-seconds or an HTTP-date; a date in the past means "now".
     *
     * @return the wait, or empty when the value is absent or not valid (then ordinary backoff applies)
     */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException tooLong) {
                return Optional.of(Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L));
            }
        }
        return parseDate(v).map(date -> nonNegative(Duration.between(now, date)));
    }

    /**
     * The wait a response asks for: {@code Retry-After} first; on a 429 without it, {@code RateLimit-Reset} or
     * {@code X-RateLimit-Reset} (seconds to wait, or an epoch second when the number is that large).
     */
    public static Optional<Duration> fromResponse(int status, Headers headers, Instant now) {
        Optional<Duration> retryAfter = parse(headers.first("Retry-After").orElse(null), now);
        if (retryAfter.isPresent() || status != 429) {
            return retryAfter;
        }
        for (String name : new String[] {"RateLimit-Reset", "X-RateLimit-Reset"}) {
            Optional<String> raw = headers.first(name);
            if (raw.isPresent()) {
                Optional<Duration> reset = parseReset(raw.get().trim(), now);
                if (reset.isPresent()) {
                    return reset;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Duration> parseReset(String value, Instant now) {
        try {
            long n = (long) Math.ceil(Double.parseDouble(value));
            if (n < 0) {
                return Optional.empty();
            }
            if (n >= EPOCH_SECONDS_THRESHOLD) {
                return Optional.of(nonNegative(Duration.between(now, Instant.ofEpochSecond(n))));
            }
            return Optional.of(Duration.ofSeconds(n));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> parseDate(String v) {
        try {
            return Optional.of(ZonedDateTime.parse(v, IMF_FIXDATE).toInstant());
        } catch (DateTimeException ignored) {
            // try the obsolete forms below
        }
        try {
            return Optional.of(LocalDateTime.parse(v, RFC_850).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException ignored) {
            // try asctime below
        }
        try {
            return Optional.of(LocalDateTime.parse(v, ASCTIME).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}

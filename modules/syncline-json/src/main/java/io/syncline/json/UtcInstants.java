package io.syncline.json;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;

/**
 * Reads ISO-8601 UTC instants as JSON APIs write them ({@code 2024-05-31T10:00:00.000Z}: HubSpot's {@code updatedAt},
 * Zendesk's export times) digit by digit. {@link Instant#parse} costs 1–2 µs a value through {@code
 * DateTimeFormatter}; it was 15% of normalizing a HubSpot contact and a third of the CRM source's CPU per page. Only
 * the plain form is read here; anything else (lower-case letters, offsets, month 13, 24:00, a leap second) is left to
 * {@code Instant.parse}, so what is accepted or refused, and how, is exactly what it was.
 */
public final class UtcInstants {

    /** What {@link #plainMillis} returns for text that is not the plain form. */
    public static final long NOT_PLAIN = Long.MIN_VALUE;

    private UtcInstants() {
    }

    /**
     * Epoch millis of {@code text}, as {@code Instant.parse(text).toEpochMilli()}.
     *
     * @throws java.time.format.DateTimeParseException as {@link Instant#parse} throws it
     */
    public static long toEpochMilli(String text) {
        long fast = plainMillis(text);
        return fast != NOT_PLAIN ? fast : Instant.parse(text).toEpochMilli();
    }

    /**
     * Epoch millis of the plain form {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} (fraction truncated to millis, as {@link
     * Instant#toEpochMilli} does), or {@link #NOT_PLAIN} for any other text, also for values out of range.
     */
    public static long plainMillis(String t) {
        int n = t.length();
        if (n < 20 || n > 30 || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-'
                || t.charAt(10) != 'T' || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return NOT_PLAIN;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > YearMonth.of(year, month)
                .lengthOfMonth() || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return NOT_PLAIN;
        }
        int millis = 0;
        if (n > 20) {
            // A dot and 1 to 9 digits; only the first three count.
            if (t.charAt(19) != '.' || n == 21) {
                return NOT_PLAIN;
            }
            for (int i = 20; i < n - 1; i++) {
                char c = t.charAt(i);
                if (c < '0' || c > '9') {
                    return NOT_PLAIN;
                }
                if (i < 23) {
                    millis = millis * 10 + (c - '0');
                }
            }
            for (int i = n - 1; i < 23; i++) {
                millis *= 10;
            }
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    /** The decimal number in {@code t[from, to)}, or -1 when a character is not an ASCII digit. */
    private static int digits(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}

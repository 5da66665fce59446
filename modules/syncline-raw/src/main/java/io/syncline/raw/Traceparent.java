package io.syncline.raw;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A W3C Trace Context {@code traceparent} value, {@code 00-<trace-id>-<parent-id>-<flags>}: what the gateway keeps of
 * the caller's header ({@link RawHeader#TRACEPARENT}), what the canonical record carries on, and what a sink sends on
 * its outbound request as a child of it (same trace and flags, its own parent id).
 *
 * @param traceId 32 lower-case hex digits, not all zeros
 * @param parentId 16 lower-case hex digits, not all zeros: the span that made the call
 * @param flags 2 lower-case hex digits; bit 0 = sampled
 */
public record Traceparent(String traceId, String parentId, String flags) {

    /** The header's name, in requests and in Kafka records. */
    public static final String HEADER = "traceparent";

    private static final HexFormat HEX = HexFormat.of();

    public Traceparent {
        if (!validId(traceId, 32) || !validId(parentId, 16) || !hex(flags, 2)) {
            throw new IllegalArgumentException("not a W3C traceparent: " + traceId + "/" + parentId + "/" + flags);
        }
    }

    /**
     * Reads a header value as the W3C spec says: version {@code ff} and malformed values are refused, a later version
     * is read for its first four fields. Empty for anything that is not a valid traceparent.
     */
    public static Optional<Traceparent> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String v = header.strip();
        if (v.length() < 55 || v.charAt(2) != '-' || v.charAt(35) != '-' || v.charAt(52) != '-'
                || !hex(v.substring(0, 2), 2) || v.startsWith("ff")) {
            return Optional.empty();
        }
        if (v.startsWith("00") && v.length() != 55) {
            return Optional.empty(); // version 00 has exactly four fields
        }
        if (v.length() > 55 && v.charAt(55) != '-') {
            return Optional.empty();
        }
        String traceId = v.substring(3, 35);
        String parentId = v.substring(36, 52);
        String flags = v.substring(53, 55);
        if (!validId(traceId, 32) || !validId(parentId, 16) || !hex(flags, 2)) {
            return Optional.empty();
        }
        return Optional.of(new Traceparent(traceId, parentId, flags));
    }

    /** A new trace's first span, not sampled (Syncline records no spans itself). */
    public static Traceparent root(String traceId) {
        return new Traceparent(traceId, newParentId(), "00");
    }

    /** The traceparent of a call this one makes: same trace and flags, a new parent id. */
    public Traceparent child() {
        return new Traceparent(traceId, newParentId(), flags);
    }

    /** The header value, version 00. */
    public String format() {
        return "00-" + traceId + "-" + parentId + "-" + flags;
    }

    @Override
    public String toString() {
        return format();
    }

    private static String newParentId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return HEX.toHexDigits(id);
    }

    private static boolean validId(String s, int length) {
        return hex(s, length) && s.chars().anyMatch(c -> c != '0');
    }

    private static boolean hex(String s, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}

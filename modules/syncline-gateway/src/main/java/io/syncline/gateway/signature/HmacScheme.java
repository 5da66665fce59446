package io.syncline.gateway.signature;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * What one HMAC-SHA256 webhook scheme declares, and nothing else: which headers carry its signatures and its signing
 * time, how they are encoded, what bytes around the body it signs, and how a secret becomes key bytes.
 * {@link HmacVerifier} does the rest the same way for every scheme: the HMAC under each key, the constant-time
 * comparison against each signature, the replay window.
 *
 * <p>Implementations are stateless and thread-safe.
 */
interface HmacScheme {

    /** The header that carries the signature(s); a mismatch names it. */
    String signatureHeader();

    /**
     * The headers a request must carry, in the order they are checked before {@link #read}: the first one absent
     * refuses the request as {@code missing-header}, so {@link #read} finds them all present.
     */
    List<RequiredHeader> requiredHeaders();

    /** The HMAC key bytes of {@code secret}; most providers key with the secret's text as UTF-8. */
    default byte[] key(Secret secret) {
        return secret.value().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads the signature headers of {@code request} (every {@link #requiredHeaders() required} one is present): what
     * is signed, the signatures and when; or why they cannot be read.
     */
    Read read(SignedRequest request);

    /**
     * A header the scheme cannot do without.
     *
     * @param blankIsAbsent true for a signature header, where only blanks carry nothing; a blank time or id is
     *     present and refused as malformed by {@link #read}
     */
    record RequiredHeader(String name, boolean blankIsAbsent) {

        static RequiredHeader signature(String name) {
            return new RequiredHeader(name, true);
        }

        static RequiredHeader value(String name) {
            return new RequiredHeader(name, false);
        }

        boolean absent(String value) {
            return value == null || (blankIsAbsent ? value.isBlank() : value.isEmpty());
        }
    }

    /** The outcome of {@link #read}: a request that can be checked, or the refusal that stops it first. */
    sealed interface Read permits Refused, Signed {
    }

    /** The request's headers cannot be read: refused as malformed before any HMAC is computed. */
    record Refused(Verification verification) implements Read {

        static Refused malformed(String detail) {
            return new Refused(Verification.malformed(detail));
        }
    }

    /**
     * A request ready to check: the HMAC covers {@code before}, the raw body, then {@code after}.
     *
     * @param signatures the decoded signatures the request offers (any one matching is enough)
     * @param before the scheme's bytes signed ahead of the body (empty for none)
     * @param after the scheme's bytes signed after the body (empty for none)
     * @param signedAtMillis when the request was signed (epoch ms), or {@link #UNTIMED}
     * @param timeLabel how the window refusal names the signed time, e.g. {@code webhook-timestamp}
     */
    record Signed(Signatures signatures, byte[] before, byte[] after, long signedAtMillis, String timeLabel)
            implements Read {

        /** For a scheme that signs no time: there is no replay window to check. */
        static final long UNTIMED = Long.MIN_VALUE;
        private static final byte[] NOTHING = new byte[0];

        static Signed at(long signedAtMillis, String timeLabel, Signatures signatures, byte[] before, byte[] after) {
            return new Signed(signatures, before, after, signedAtMillis, timeLabel);
        }

        static Signed at(long signedAtMillis, String timeLabel, Signatures signatures, byte[] before) {
            return new Signed(signatures, before, NOTHING, signedAtMillis, timeLabel);
        }

        static Signed untimed(Signatures signatures) {
            return new Signed(signatures, NOTHING, NOTHING, UNTIMED, null);
        }

        boolean timed() {
            return signedAtMillis != UNTIMED;
        }
    }

    /** Decodes 64 hex digits into 32 bytes, or null when the text is not that. */
    static byte[] hex256(String text) {
        if (text.length() != 64) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Decodes standard base64 of a 32-byte HMAC-SHA256, or null when the text is not that. */
    static byte[] base64Sha256(String text) {
        try {
            byte[] bytes = Base64.getDecoder().decode(text.trim());
            return bytes.length == 32 ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Parses a non-negative decimal of at most 15 digits, or -1; 15 digits of seconds still fit in milliseconds
     * without overflow, and cover any real timestamp.
     */
    static long parseDigits(String text) {
        if (text == null || text.isEmpty() || text.length() > 15) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}

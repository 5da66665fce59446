package io.syncline.delivery;

import java.nio.charset.StandardCharsets;

/**
 * Why a change was not delivered: what we were doing and what the target said, ready for dead-letter headers or a
 * task failure message. Never holds credentials (the HTTP client masks them) and at most
 * {@value #MAX_BODY_BYTES} bytes of the response body.
 *
 * @param reason a short machine-readable word: {@code rejected}, {@code batch-item}, {@code mapping}, ...
 * @param message what happened, with context, for a person
 * @param errorClass the class that names the kind of failure
 * @param status the HTTP status, 0 when no response arrived
 * @param responseBody the start of the response body (or the batch item's error), null when none
 * @param attempts HTTP attempts made, 0 when nothing was sent
 */
public record DeliveryFailure(String reason, String message, String errorClass, int status, String responseBody,
                              int attempts) {

    /** The most response-body bytes a dead letter carries. */
    public static final int MAX_BODY_BYTES = 1024;

    public DeliveryFailure {
        responseBody = truncate(responseBody);
    }

    /** A failure that is not an HTTP response (mapping, missing data). */
    public static DeliveryFailure of(String reason, Throwable cause) {
        return new DeliveryFailure(reason, cause.getMessage(), cause.getClass().getName(), 0, null, 0);
    }

    /** {@code s} cut to at most {@value #MAX_BODY_BYTES} UTF-8 bytes, on a character boundary. */
    static String truncate(String s) {
        if (s == null) {
            return null;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_BODY_BYTES) {
            return s;
        }
        int end = MAX_BODY_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // not in the middle of a multi-byte character
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}

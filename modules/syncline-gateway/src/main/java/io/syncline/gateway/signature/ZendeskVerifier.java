package io.syncline.gateway.signature;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import javax.crypto.Mac;

/**
 * Zendesk: {@code X-Zendesk-Webhook-Signature} = base64 HMAC-SHA256 (key: the webhook's signing secret as UTF-8) over
 * the {@code X-Zendesk-Webhook-Signature-Timestamp} header string followed by the raw body (timestamp first).
 */
final class ZendeskVerifier implements SignatureVerifier {

    static final String SIGNATURE = "X-Zendesk-Webhook-Signature";
    static final String TIMESTAMP = "X-Zendesk-Webhook-Signature-Timestamp";

    private final HmacKey[] keys;
    private final long windowMillis;

    ZendeskVerifier(List<Secret> secrets, long windowMillis) {
        this.keys = SignatureVerifier.utf8Keys(secrets);
        this.windowMillis = windowMillis;
    }

    @Override
    public Verification verify(SignedRequest request, long nowMillis) {
        String signature = request.header(SIGNATURE);
        if (signature == null || signature.isBlank()) {
            return Verification.missing(SIGNATURE);
        }
        String timestamp = request.header(TIMESTAMP);
        if (timestamp == null || timestamp.isEmpty()) {
            return Verification.missing(TIMESTAMP);
        }
        long signedAt;
        try {
            signedAt = OffsetDateTime.parse(timestamp.trim()).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return Verification.malformed(TIMESTAMP + " is not an ISO-8601 time such as 2024-05-01T12:00:00Z");
        }
        byte[] provided = SignatureVerifier.base64Sha256(signature);
        if (provided == null) {
            return Verification.malformed(SIGNATURE + " is not base64 of a 32-byte HMAC-SHA256");
        }
        byte[][] signatures = {provided};
        // The header string is signed exactly as sent, not a re-formatted parse of it.
        byte[] prefix = timestamp.getBytes(StandardCharsets.UTF_8);
        byte[] body = request.body();
        boolean match = false;
        for (HmacKey key : keys) {
            Mac mac = key.mac();
            mac.update(prefix);
            mac.update(body);
            match |= SignatureVerifier.anyEqual(mac.doFinal(), signatures, 1);
        }
        if (!match) {
            return Verification.mismatch(SIGNATURE);
        }
        return Verification.window(signedAt, nowMillis, windowMillis, TIMESTAMP);
    }
}

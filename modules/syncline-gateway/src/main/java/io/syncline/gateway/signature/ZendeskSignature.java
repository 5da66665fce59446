package io.syncline.gateway.signature;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Zendesk: {@code X-Zendesk-Webhook-Signature} = base64 HMAC-SHA256 (key: the webhook's signing secret as UTF-8) over
 * the {@code X-Zendesk-Webhook-Signature-Timestamp} header string followed by the raw body (timestamp first).
 */
final class ZendeskSignature implements HmacScheme {

    static final String SIGNATURE = "X-Zendesk-Webhook-Signature";
    static final String TIMESTAMP = "X-Zendesk-Webhook-Signature-Timestamp";

    @Override
    public String signatureHeader() {
        return SIGNATURE;
    }

    @Override
    public List<RequiredHeader> requiredHeaders() {
        return List.of(RequiredHeader.signature(SIGNATURE), RequiredHeader.value(TIMESTAMP));
    }

    @Override
    public Read read(SignedRequest request) {
        String signature = request.header(SIGNATURE);
        String timestamp = request.header(TIMESTAMP);
        long signedAt;
        try {
            signedAt = OffsetDateTime.parse(timestamp.trim()).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return Refused.malformed(TIMESTAMP + " is not an ISO-8601 time such as 2024-05-01T12:00:00Z");
        }
        byte[] provided = HmacScheme.base64Sha256(signature);
        if (provided == null) {
            return Refused.malformed(SIGNATURE + " is not base64 of a 32-byte HMAC-SHA256");
        }
        // The header string is signed exactly as sent, not a re-formatted parse of it.
        return Signed.at(signedAt, TIMESTAMP, Signatures.of(provided), timestamp.getBytes(StandardCharsets.UTF_8));
    }
}

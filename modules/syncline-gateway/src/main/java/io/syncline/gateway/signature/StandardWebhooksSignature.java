package io.syncline.gateway.signature;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp} (unix s) and {@code webhook-signature} (space-separated
 * {@code v1,<base64>} entries); HMAC-SHA256 over {@code "<id>.<timestamp>.<raw body>"} keyed with the base64-decoded
 * part of the secret after {@code whsec_}.
 */
final class StandardWebhooksSignature implements HmacScheme {

    static final String ID = "webhook-id";
    static final String TIMESTAMP = "webhook-timestamp";
    static final String SIGNATURE = "webhook-signature";
    private static final String PREFIX = "whsec_";

    @Override
    public String signatureHeader() {
        return SIGNATURE;
    }

    /** The key bytes of a {@code whsec_<base64>} secret; the message names the reference only. */
    @Override
    public byte[] key(Secret secret) {
        String value = secret.value().trim();
        String encoded = value.startsWith(PREFIX) ? value.substring(PREFIX.length()) : value;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret " + secret.reference() + " is not a Standard Webhooks secret: "
                    + "expected whsec_ followed by base64");
        }
        if (key.length < 16) {
            throw new IllegalArgumentException("secret " + secret.reference() + " is too short for Standard Webhooks: "
                    + "expected whsec_ followed by the base64 of at least 16 random bytes (the specification asks for 24 to 64)");
        }
        return key;
    }

    @Override
    public List<RequiredHeader> requiredHeaders() {
        return List.of(RequiredHeader.value(ID), RequiredHeader.value(TIMESTAMP), RequiredHeader.signature(SIGNATURE));
    }

    @Override
    public Read read(SignedRequest request) {
        String id = request.header(ID);
        String timestamp = request.header(TIMESTAMP);
        String header = request.header(SIGNATURE);
        long seconds = HmacScheme.parseDigits(timestamp);
        if (seconds < 0) {
            return Refused.malformed(TIMESTAMP + " is not unix seconds");
        }
        Signatures signatures = new Signatures();
        for (String entry : header.split(" ")) {
            // Other versions (v1a: asymmetric) are skipped; only symmetric v1 is configured here.
            if (entry.startsWith("v1,") && !signatures.full()) {
                signatures.add(HmacScheme.base64Sha256(entry.substring(3)));
            }
        }
        if (signatures.isEmpty()) {
            return Refused.malformed(signatures.undecodable()
                    ? SIGNATURE + " has a v1 signature that is not base64 of 32 bytes"
                    : SIGNATURE + " has no v1,<base64> signature");
        }
        return Signed.at(seconds * 1000, TIMESTAMP, signatures,
                (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
    }
}

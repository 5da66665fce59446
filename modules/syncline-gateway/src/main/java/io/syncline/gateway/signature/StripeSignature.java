package io.syncline.gateway.signature;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Stripe: {@code Stripe-Signature: t=<unix s>,v1=<hex>[,v1=<hex>…]}, HMAC-SHA256 over {@code "<t>.<raw body>"} keyed
 * with the whole {@code whsec_…} string as UTF-8 (not base64-decoded, unlike Standard Webhooks).
 */
final class StripeSignature implements HmacScheme {

    static final String HEADER = "Stripe-Signature";

    @Override
    public String signatureHeader() {
        return HEADER;
    }

    @Override
    public List<RequiredHeader> requiredHeaders() {
        return List.of(RequiredHeader.signature(HEADER));
    }

    @Override
    public Read read(SignedRequest request) {
        String header = request.header(HEADER);
        String timestamp = null;
        Signatures signatures = new Signatures();
        for (String item : header.split(",")) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim();
            if (name.equals("t")) {
                timestamp = value;
            } else if (name.equals("v1") && !signatures.full()) {
                signatures.add(HmacScheme.hex256(value));
            }
        }
        long seconds = HmacScheme.parseDigits(timestamp);
        if (seconds < 0) {
            return Refused.malformed(HEADER + " has no t=<unix seconds> timestamp");
        }
        if (signatures.isEmpty()) {
            return Refused.malformed(signatures.undecodable() ? HEADER + " has a v1 signature that is not 64 hex digits"
                    : HEADER + " has no v1 signature");
        }
        return Signed.at(seconds * 1000, HEADER + " timestamp", signatures,
                (timestamp + ".").getBytes(StandardCharsets.US_ASCII));
    }
}

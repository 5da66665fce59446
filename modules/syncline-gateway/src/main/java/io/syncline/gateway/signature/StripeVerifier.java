package io.syncline.gateway.signature;

import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.crypto.Mac;

/**
 * Stripe: {@code Stripe-Signature: t=<unix s>,v1=<hex>[,v1=<hex>…]}, HMAC-SHA256 over {@code "<t>.<raw body>"} keyed
 * with the whole {@code whsec_…} string as UTF-8 (not base64-decoded, unlike Standard Webhooks).
 */
final class StripeVerifier implements SignatureVerifier {

    static final String HEADER = "Stripe-Signature";
    private static final int MAX_SIGNATURES = 8;

    private final HmacKey[] keys;
    private final long windowMillis;

    StripeVerifier(List<Secret> secrets, long windowMillis) {
        this.keys = SignatureVerifier.utf8Keys(secrets);
        this.windowMillis = windowMillis;
    }

    @Override
    public Verification verify(SignedRequest request, long nowMillis) {
        String header = request.header(HEADER);
        if (header == null || header.isBlank()) {
            return Verification.missing(HEADER);
        }
        String timestamp = null;
        byte[][] signatures = new byte[MAX_SIGNATURES][];
        int count = 0;
        boolean undecodable = false;
        for (String item : header.split(",")) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim();
            if (name.equals("t")) {
                timestamp = value;
            } else if (name.equals("v1") && count < MAX_SIGNATURES) {
                byte[] sig = SignatureVerifier.hex256(value);
                if (sig == null) {
                    undecodable = true;
                } else {
                    signatures[count++] = sig;
                }
            }
        }
        long seconds = SignatureVerifier.parseDigits(timestamp);
        if (seconds < 0) {
            return Verification.malformed(HEADER + " has no t=<unix seconds> timestamp");
        }
        if (count == 0) {
            return Verification.malformed(undecodable ? HEADER + " has a v1 signature that is not 64 hex digits"
                    : HEADER + " has no v1 signature");
        }
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] body = request.body();
        boolean match = false;
        for (HmacKey key : keys) {
            Mac mac = key.mac();
            mac.update(prefix);
            mac.update(body);
            match |= SignatureVerifier.anyEqual(mac.doFinal(), signatures, count);
        }
        if (!match) {
            return Verification.mismatch(HEADER);
        }
        return Verification.window(seconds * 1000, nowMillis, windowMillis, HEADER + " timestamp");
    }
}

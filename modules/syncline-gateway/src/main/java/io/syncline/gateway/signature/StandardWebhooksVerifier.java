package io.syncline.gateway.signature;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;

/**
 * Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp} (unix s) and {@code webhook-signature} (space-separated
 * {@code v1,<base64>} entries); HMAC-SHA256 over {@code "<id>.<timestamp>.<raw body>"} keyed with the base64-decoded
 * part of the secret after {@code whsec_}.
 */
final class StandardWebhooksVerifier implements SignatureVerifier {

    static final String ID = "webhook-id";
    static final String TIMESTAMP = "webhook-timestamp";
    static final String SIGNATURE = "webhook-signature";
    private static final String PREFIX = "whsec_";
    private static final int MAX_SIGNATURES = 8;

    private final HmacKey[] keys;
    private final long windowMillis;

    StandardWebhooksVerifier(List<Secret> secrets, long windowMillis) {
        this.keys = new HmacKey[secrets.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new HmacKey(decode(secrets.get(i)));
        }
        this.windowMillis = windowMillis;
    }

    /** The key bytes of a {@code whsec_<base64>} secret; the message names the reference only. */
    static byte[] decode(Secret secret) {
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
    public Verification verify(SignedRequest request, long nowMillis) {
        String id = request.header(ID);
        if (id == null || id.isEmpty()) {
            return Verification.missing(ID);
        }
        String timestamp = request.header(TIMESTAMP);
        if (timestamp == null || timestamp.isEmpty()) {
            return Verification.missing(TIMESTAMP);
        }
        String header = request.header(SIGNATURE);
        if (header == null || header.isBlank()) {
            return Verification.missing(SIGNATURE);
        }
        long seconds = SignatureVerifier.parseDigits(timestamp);
        if (seconds < 0) {
            return Verification.malformed(TIMESTAMP + " is not unix seconds");
        }
        byte[][] signatures = new byte[MAX_SIGNATURES][];
        int count = 0;
        boolean undecodable = false;
        for (String entry : header.split(" ")) {
            int comma = entry.indexOf(',');
            // Other versions (v1a: asymmetric) are skipped; only symmetric v1 is configured here.
            if (comma < 0 || !entry.startsWith("v1,") || count == MAX_SIGNATURES) {
                continue;
            }
            byte[] sig = SignatureVerifier.base64Sha256(entry.substring(comma + 1));
            if (sig == null) {
                undecodable = true;
            } else {
                signatures[count++] = sig;
            }
        }
        if (count == 0) {
            return Verification.malformed(undecodable ? SIGNATURE + " has a v1 signature that is not base64 of 32 bytes"
                    : SIGNATURE + " has no v1,<base64> signature");
        }
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] body = request.body();
        boolean match = false;
        for (HmacKey key : keys) {
            Mac mac = key.mac();
            mac.update(prefix);
            mac.update(body);
            match |= SignatureVerifier.anyEqual(mac.doFinal(), signatures, count);
        }
        if (!match) {
            return Verification.mismatch(SIGNATURE);
        }
        return Verification.window(seconds * 1000, nowMillis, windowMillis, TIMESTAMP);
    }
}

package io.syncline.sandbox.payments;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.syncline.sandbox.core.WebhookDispatcher;

/**
 * Stripe's webhook signature: {@code Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>} over
 * {@code "<t>.<raw body>"}, keyed with the whole {@code whsec_…} string as UTF-8 bytes (not base64-decoded).
 */
public final class StripeSignature implements WebhookDispatcher.Signer {

    public static final String HEADER = "Stripe-Signature";

    @Override
    public Map<String, String> headers(String secret, byte[] body, Instant now) {
        return Map.of(HEADER, header(secret, body, now.getEpochSecond()));
    }

    /** The header value for {@code body} signed at {@code timestamp}. */
    public static String header(String secret, byte[] body, long timestamp) {
        return "t=" + timestamp + ",v1=" + hmacHex(secret, timestamp + "." + new String(body, StandardCharsets.UTF_8));
    }

    static String hmacHex(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}

package io.syncline.sandbox.crm;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.syncline.sandbox.core.WebhookDispatcher;

/**
 * HubSpot's webhook signature v3: {@code X-HubSpot-Signature-v3} = base64 HMAC-SHA256, keyed with the app's client
 * secret (UTF-8), over the method, the full URL called, the raw body and the {@code X-HubSpot-Request-Timestamp}
 * header (epoch milliseconds), concatenated. Re-signed on every attempt, so a retry carries a fresh timestamp.
 */
public final class HubSpotSignature implements WebhookDispatcher.Signer {

    public static final String SIGNATURE = "X-HubSpot-Signature-v3";
    public static final String TIMESTAMP = "X-HubSpot-Request-Timestamp";

    @Override
    public Map<String, String> headers(String secret, byte[] body, Instant now) {
        throw new UnsupportedOperationException("HubSpot's v3 signature covers the URL; use the URL-aware variant");
    }

    @Override
    public Map<String, String> headers(String secret, URI url, byte[] body, Instant now) {
        String timestamp = Long.toString(now.toEpochMilli());
        Map<String, String> h = new LinkedHashMap<>();
        h.put(SIGNATURE, sign(secret, "POST", url.toString(), body, timestamp));
        h.put(TIMESTAMP, timestamp);
        return h;
    }

    /** The v3 signature of one request. */
    public static String sign(String secret, String method, String url, byte[] body, String timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((method + url).getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}

package io.syncline.gateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs test requests the way each provider documents it, written separately from the production verifiers so a
 * shared mistake cannot make both agree.
 */
public final class TestSigner {

    private TestSigner() {
    }

    public static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code Stripe-Signature: t=<s>,v1=<hex>} keyed with the whole secret string. */
    public static Map<String, String> stripe(String secret, long signedAtMillis, byte[] body) {
        long t = signedAtMillis / 1000;
        String v1 = HexFormat.of().formatHex(hmac(utf8(secret), utf8(t + "."), body));
        return Map.of("Content-Type", "application/json", "Stripe-Signature", "t=" + t + ",v1=" + v1);
    }

    /** Standard Webhooks headers, keyed with the base64-decoded part after {@code whsec_}. */
    public static Map<String, String> standardWebhooks(String secret, String id, long signedAtMillis, byte[] body) {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        long t = signedAtMillis / 1000;
        String sig = Base64.getEncoder().encodeToString(hmac(key, utf8(id + "." + t + "."), body));
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("webhook-id", id);
        h.put("webhook-timestamp", Long.toString(t));
        h.put("webhook-signature", "v1," + sig);
        return h;
    }

    /** HubSpot v3 over method + URL + body + timestamp (epoch ms). */
    public static Map<String, String> hubspot(String secret, String url, long signedAtMillis, byte[] body) {
        String sig = Base64.getEncoder().encodeToString(hmac(utf8(secret), utf8("POST" + url), body,
                utf8(Long.toString(signedAtMillis))));
        return Map.of("Content-Type", "application/json", "X-HubSpot-Signature-v3", sig,
                "X-HubSpot-Request-Timestamp", Long.toString(signedAtMillis));
    }

    /** Zendesk over the timestamp header string + body. */
    public static Map<String, String> zendesk(String secret, long signedAtMillis, byte[] body) {
        String timestamp = Instant.ofEpochMilli(signedAtMillis).toString();
        String sig = Base64.getEncoder().encodeToString(hmac(utf8(secret), utf8(timestamp), body));
        return Map.of("Content-Type", "application/json", "X-Zendesk-Webhook-Signature", sig,
                "X-Zendesk-Webhook-Signature-Timestamp", timestamp);
    }

    /** {@code X-Hub-Signature-256: sha256=<hex>} over the body. */
    public static Map<String, String> github(String secret, String delivery, byte[] body) {
        return Map.of("Content-Type", "application/json",
                "X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(hmac(utf8(secret), body)),
                "X-GitHub-Delivery", delivery);
    }
}

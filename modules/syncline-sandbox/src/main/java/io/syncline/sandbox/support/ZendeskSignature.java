package io.syncline.sandbox.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.syncline.sandbox.core.WebhookDispatcher;

/**
 * Zendesk's webhook signature: {@code X-Zendesk-Webhook-Signature} = base64 HMAC-SHA256, keyed with the webhook's
 * signing secret as UTF-8 (not decoded), over the {@code X-Zendesk-Webhook-Signature-Timestamp} header string
 * followed by the raw body (timestamp first). The timestamp is ISO-8601 in UTC with seconds, as in Zendesk's examples.
 */
public final class ZendeskSignature implements WebhookDispatcher.Signer {

    public static final String SIGNATURE = "X-Zendesk-Webhook-Signature";
    public static final String TIMESTAMP = "X-Zendesk-Webhook-Signature-Timestamp";
    public static final String WEBHOOK_ID = "X-Zendesk-Webhook-Id";
    public static final String INVOCATION_ID = "X-Zendesk-Webhook-Invocation-Id";

    /** Webhook id by signing secret: the dispatcher hands a signer only the secret, and each webhook has its own. */
    private final Map<String, String> webhookIds = new java.util.concurrent.ConcurrentHashMap<>();

    void register(String secret, String webhookId) {
        webhookIds.put(secret, webhookId);
    }

    @Override
    public Map<String, String> headers(String secret, byte[] body, Instant now) {
        String timestamp = timestamp(now);
        Map<String, String> h = new LinkedHashMap<>();
        h.put(SIGNATURE, sign(secret, timestamp, body));
        h.put(TIMESTAMP, timestamp);
        String id = webhookIds.get(secret);
        if (id != null) {
            h.put(WEBHOOK_ID, id);
        }
        // One invocation per event and webhook: retries and injected duplicates carry the same id, as Zendesk's do.
        h.put(INVOCATION_ID, Long.toString(java.util.UUID.nameUUIDFromBytes(body).getMostSignificantBits()
                & Long.MAX_VALUE));
        return h;
    }

    /** The timestamp header value for {@code at}, e.g. {@code 2024-05-01T12:00:00Z}. */
    public static String timestamp(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The signature header value for {@code body} signed with {@code timestamp}. */
    public static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}

package io.syncline.gateway.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import io.syncline.config.SignatureScheme;

/**
 * Checks one provider's webhook signature over the raw request bytes, in constant time, within a replay window.
 *
 * <p>Implementations are immutable and thread-safe; they hold one or more secrets (several during a rotation: a
 * request signed with any of them is valid).
 */
public interface SignatureVerifier {

    /**
     * Verifies {@code request} as of {@code nowMillis}.
     *
     * @return {@link Verification#VALID} or the reason it is not; never throws for bad input
     */
    Verification verify(SignedRequest request, long nowMillis);

    /**
     * The verifier for {@code scheme}.
     *
     * @throws IllegalArgumentException naming the secret's reference (never its value) when a secret cannot be used
     *     with the scheme
     */
    static SignatureVerifier create(SignatureScheme scheme, List<Secret> secrets, Duration replayWindow) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a " + scheme + " endpoint needs at least one secret");
        }
        long window = replayWindow.toMillis();
        return switch (scheme) {
            case STRIPE -> new StripeVerifier(secrets, window);
            case STANDARD_WEBHOOKS -> new StandardWebhooksVerifier(secrets, window);
            case HUBSPOT_V3 -> new HubSpotV3Verifier(secrets, window);
            case ZENDESK -> new ZendeskVerifier(secrets, window);
            case GITHUB -> new GitHubVerifier(secrets);
        };
    }

    /** The key bytes of secrets used as given (UTF-8), as Stripe, HubSpot, Zendesk and GitHub do. */
    static HmacKey[] utf8Keys(List<Secret> secrets) {
        HmacKey[] keys = new HmacKey[secrets.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new HmacKey(secrets.get(i).value().getBytes(StandardCharsets.UTF_8));
        }
        return keys;
    }

    /** True when {@code computed} equals any of {@code provided}; every comparison is constant-time. */
    static boolean anyEqual(byte[] computed, byte[][] provided, int count) {
        boolean match = false;
        for (int i = 0; i < count; i++) {
            // No early exit: the time taken does not depend on which entry matched.
            match |= MessageDigest.isEqual(computed, provided[i]);
        }
        return match;
    }

    /** Decodes 64 hex digits into 32 bytes, or null when the text is not that. */
    static byte[] hex256(String text) {
        if (text.length() != 64) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Decodes standard base64 of a 32-byte HMAC-SHA256, or null when the text is not that. */
    static byte[] base64Sha256(String text) {
        try {
            byte[] bytes = Base64.getDecoder().decode(text.trim());
            return bytes.length == 32 ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Parses a non-negative decimal of at most 15 digits, or -1; 15 digits of seconds still fit in milliseconds
     * without overflow, and cover any real timestamp.
     */
    static long parseDigits(String text) {
        if (text == null || text.isEmpty() || text.length() > 15) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}

package io.syncline.gateway.signature;

import java.time.Duration;
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
        HmacScheme hmac = switch (scheme) {
            case STRIPE -> new StripeSignature();
            case STANDARD_WEBHOOKS -> new StandardWebhooksSignature();
            case HUBSPOT_V3 -> new HubSpotV3Signature();
            case ZENDESK -> new ZendeskSignature();
            case GITHUB -> new GitHubSignature();
        };
        return new HmacVerifier(hmac, secrets, window);
    }
}

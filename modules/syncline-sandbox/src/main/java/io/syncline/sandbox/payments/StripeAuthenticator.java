package io.syncline.sandbox.payments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import io.syncline.sandbox.core.ApiException;
import io.syncline.sandbox.core.ApiRequest;
import io.syncline.sandbox.core.Authenticator;

/** Stripe's secret-key auth: {@code Authorization: Bearer sk_…} or HTTP basic auth with the key as user name. */
final class StripeAuthenticator implements Authenticator {

    private final String apiKey;

    StripeAuthenticator(String apiKey) {
        this.apiKey = apiKey;
    }

    @Override
    public String authenticate(ApiRequest request) {
        String header = request.header("Authorization");
        String key = null;
        if (header != null) {
            String h = header.trim();
            if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
                key = h.substring(7).trim();
            } else if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
                key = basicUser(h.substring(6).trim());
            }
        }
        if (key == null || key.isEmpty()) {
            throw new ApiException(StripeErrors.response(401, StripeErrors.INVALID_REQUEST, null,
                    "You did not provide an API key. You need to provide your API key in the Authorization header, "
                            + "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
                            + "https://stripe.com/docs/api#authentication for details, or we can help at "
                            + "https://support.stripe.com/.", null));
        }
        if (!MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), apiKey.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(StripeErrors.response(401, StripeErrors.INVALID_REQUEST, null,
                    "Invalid API Key provided: " + mask(key), null));
        }
        return key;
    }

    private static String basicUser(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Like Stripe: keeps the {@code sk_test_} prefix and the last four characters. */
    static String mask(String key) {
        int prefix = key.startsWith("sk_test_") || key.startsWith("rk_test_") ? 8
                : key.startsWith("sk_live_") || key.startsWith("rk_live_") ? 8 : 0;
        if (key.length() <= prefix + 4) {
            return key.substring(0, Math.min(prefix, key.length())) + "*".repeat(Math.max(0, key.length() - prefix));
        }
        return key.substring(0, prefix) + "*".repeat(key.length() - prefix - 4) + key.substring(key.length() - 4);
    }
}

package io.syncline.sandbox.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

import io.syncline.sandbox.core.ApiRequest;
import io.syncline.sandbox.core.Authenticator;
import io.syncline.sandbox.core.OAuthTokens;

/**
 * Zendesk API auth: HTTP basic {@code {email}/token:{api_token}} (the e-mail of an active agent or admin, any of the
 * account's API tokens) or an OAuth bearer token. Password access ({@code email:password}) is refused, as on accounts
 * where it is turned off (Zendesk's default for new accounts). The principal is the account, so the rate limit is
 * account-wide as Zendesk's is; the acting user's id is left in the {@link #USER_ID} attribute.
 */
final class ZendeskAuthenticator implements Authenticator {

    static final String USER_ID = "zendesk.userId";
    static final String PRINCIPAL = "account";

    private final List<String> apiTokens;
    private final OAuthTokens oauth;
    private final SupportStore store;

    ZendeskAuthenticator(List<String> apiTokens, OAuthTokens oauth, SupportStore store) {
        this.apiTokens = List.copyOf(apiTokens);
        this.oauth = oauth;
        this.store = store;
    }

    @Override
    public String authenticate(ApiRequest request) {
        String header = request.header("Authorization");
        if (header == null || header.isBlank()) {
            throw ZendeskErrors.couldNotAuthenticate();
        }
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            OAuthTokens.Check check = oauth.check(header.substring(7).trim());
            if (check instanceof OAuthTokens.Valid valid) {
                request.attribute(USER_ID, Long.parseLong(valid.clientId().substring(valid.clientId().indexOf('|')
                        + 1)));
                return PRINCIPAL;
            }
            throw ZendeskErrors.invalidToken();
        }
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw ZendeskErrors.couldNotAuthenticate();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ZendeskErrors.couldNotAuthenticate();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0 || !decoded.substring(0, colon).endsWith("/token")) {
            throw ZendeskErrors.couldNotAuthenticate();
        }
        String email = decoded.substring(0, colon - "/token".length());
        byte[] token = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        boolean known = false;
        for (String t : apiTokens) {
            // No early exit: the time taken does not depend on which token matched.
            known |= MessageDigest.isEqual(token, t.getBytes(StandardCharsets.UTF_8));
        }
        Long userId = known ? store.staffUserId(email) : null;
        if (userId == null) {
            throw ZendeskErrors.couldNotAuthenticate();
        }
        request.attribute(USER_ID, userId);
        return PRINCIPAL;
    }
}

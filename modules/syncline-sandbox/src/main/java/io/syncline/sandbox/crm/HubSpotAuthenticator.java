package io.syncline.sandbox.crm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.syncline.sandbox.core.ApiRequest;
import io.syncline.sandbox.core.Authenticator;
import io.syncline.sandbox.core.OAuthTokens;

/** HubSpot bearer auth: a private-app token, or an OAuth access token that may have expired. */
final class HubSpotAuthenticator implements Authenticator {

    private static final String NOT_FOUND = "Authentication credentials not found. This API supports OAuth 2.0 "
            + "authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/"
            + "oauth-overview";

    private final List<String> privateAppTokens;
    private final OAuthTokens tokens;
    private final Clock clock;

    HubSpotAuthenticator(List<String> privateAppTokens, OAuthTokens tokens, Clock clock) {
        this.privateAppTokens = List.copyOf(privateAppTokens);
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public String authenticate(ApiRequest request) {
        String header = request.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw HubSpotErrors.error(401, request.requestId(), "INVALID_AUTHENTICATION", NOT_FOUND);
        }
        String token = header.substring(7).trim();
        for (int i = 0; i < privateAppTokens.size(); i++) {
            if (MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                    privateAppTokens.get(i).getBytes(StandardCharsets.UTF_8))) {
                return "private-app-" + i;
            }
        }
        OAuthTokens.Check check = tokens.check(token);
        if (check instanceof OAuthTokens.Valid valid) {
            return "oauth-" + valid.clientId();
        }
        if (check instanceof OAuthTokens.Expired expired) {
            long ago = Math.max(0, Duration.between(expired.expiredAt(), clock.instant()).toSeconds());
            var body = HubSpotErrors.body(request.requestId(), "EXPIRED_AUTHENTICATION",
                    "The OAuth token used to make this call expired " + ago + " second(s) ago.");
            body.putObject("context").putArray("expire time").add(expired.expiredAt().toString());
            throw new io.syncline.sandbox.core.ApiException(io.syncline.sandbox.core.ApiResponse.json(401, body));
        }
        throw HubSpotErrors.error(401, request.requestId(), "INVALID_AUTHENTICATION", NOT_FOUND);
    }
}

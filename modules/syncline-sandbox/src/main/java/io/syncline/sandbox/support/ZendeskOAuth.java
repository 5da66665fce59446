package io.syncline.sandbox.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.HandlerType;
import io.syncline.sandbox.core.ApiException;
import io.syncline.sandbox.core.ApiRequest;
import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.OAuthTokens;
import io.syncline.sandbox.core.SandboxServer;

/**
 * Zendesk's token endpoint {@code POST /oauth/tokens} (JSON or form-encoded): grants {@code authorization_code},
 * {@code client_credentials} and {@code refresh_token} for the account's OAuth client. Tokens act as the admin
 * user the client belongs to.
 */
final class ZendeskOAuth {

    private final String clientId;
    private final String clientSecret;
    private final OAuthTokens tokens;
    private final long adminUserId;

    ZendeskOAuth(String clientId, String clientSecret, OAuthTokens tokens, long adminUserId) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.tokens = tokens;
        this.adminUserId = adminUserId;
    }

    /** The {@link OAuthTokens} client id of this client acting as the admin: {@code <client>|<user id>}. */
    String tokenOwner() {
        return clientId + "|" + adminUserId;
    }

    void register(SandboxServer.Routes routes) {
        routes.publicRoute(HandlerType.POST, "/oauth/tokens", this::token);
    }

    private ApiResponse token(ApiRequest req) {
        String contentType = req.header("Content-Type");
        Map<String, Object> params;
        if (contentType != null && contentType.contains("json")) {
            JsonNode body = req.json();
            params = new java.util.LinkedHashMap<>();
            body.fields().forEachRemaining(f -> params.put(f.getKey(), f.getValue().asText()));
        } else {
            params = req.form();
        }
        String grant = text(params, "grant_type");
        if (grant == null || !(grant.equals("authorization_code") || grant.equals("client_credentials")
                || grant.equals("refresh_token"))) {
            throw oauthError(400, "unsupported_grant_type", "grant_type must be one of authorization_code, "
                    + "client_credentials, refresh_token");
        }
        String id = text(params, "client_id");
        String secret = text(params, "client_secret");
        if (id == null || secret == null || !equal(id, clientId) || !equal(secret, clientSecret)) {
            throw oauthError(401, "invalid_client", "Client authentication failed due to unknown client, no client "
                    + "authentication included, or unsupported authentication method.");
        }
        OAuthTokens.Grant issued;
        switch (grant) {
            case "client_credentials" -> issued = tokens.issueAccess(tokenOwner());
            case "refresh_token" -> {
                String refresh = text(params, "refresh_token");
                issued = refresh == null ? null : tokens.refresh(tokenOwner(), refresh);
            }
            default -> {
                String code = text(params, "code");
                issued = code == null ? null : tokens.redeemCode(tokenOwner(), code);
            }
        }
        if (issued == null) {
            throw oauthError(400, "invalid_grant", "The provided authorization grant is invalid, expired, revoked, "
                    + "does not match the redirection URI used in the authorization request, or was issued to "
                    + "another client.");
        }
        ObjectNode out = Json.object();
        out.put("access_token", issued.accessToken());
        out.put("token_type", "bearer");
        out.put("scope", text(params, "scope") == null ? "read write" : text(params, "scope"));
        out.put("expires_in", issued.expiresIn().toSeconds());
        if (issued.refreshToken() != null) {
            out.put("refresh_token", issued.refreshToken());
        }
        return ApiResponse.ok(out).withHeader("Cache-Control", "no-store");
    }

    private static String text(Map<String, Object> params, String name) {
        Object v = params.get(name);
        return v instanceof String s && !s.isEmpty() ? s : null;
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static ApiException oauthError(int status, String error, String description) {
        ObjectNode n = Json.object();
        n.put("error", error);
        n.put("error_description", description);
        return new ApiException(ApiResponse.json(status, n));
    }
}

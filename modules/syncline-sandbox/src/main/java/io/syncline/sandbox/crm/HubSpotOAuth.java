package io.syncline.sandbox.crm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.ApiException;
import io.syncline.sandbox.core.ApiRequest;
import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.OAuthTokens;
import io.syncline.sandbox.core.SandboxServer;

/**
 * HubSpot's OAuth endpoints: {@code POST /oauth/v1/token} (form-encoded; grants {@code client_credentials},
 * {@code refresh_token}, {@code authorization_code}) and {@code DELETE /oauth/v1/refresh-tokens/{token}}.
 */
final class HubSpotOAuth {

    private final String clientId;
    private final String clientSecret;
    private final OAuthTokens tokens;

    HubSpotOAuth(String clientId, String clientSecret, OAuthTokens tokens) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.tokens = tokens;
    }

    void register(SandboxServer.Routes routes) {
        routes.publicRoute(io.javalin.http.HandlerType.POST, "/oauth/v1/token", this::token);
        routes.publicRoute(io.javalin.http.HandlerType.DELETE, "/oauth/v1/refresh-tokens/{token}", req -> {
            if (!tokens.revokeRefreshToken(req.pathParam("token"))) {
                throw HubSpotErrors.error(404, req.requestId(), "OBJECT_NOT_FOUND", "refresh token not found");
            }
            return ApiResponse.empty(204);
        });
    }

    private ApiResponse token(ApiRequest req) {
        Map<String, Object> form = req.form();
        String grant = text(form, "grant_type");
        String id = text(form, "client_id");
        String secret = text(form, "client_secret");
        String basic = req.header("Authorization");
        if (id == null && basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(basic.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    id = decoded.substring(0, colon);
                    secret = decoded.substring(colon + 1);
                }
            } catch (IllegalArgumentException e) {
                // not base64: treated as no client credentials below
            }
        }
        if (grant == null || !(grant.equals("client_credentials") || grant.equals("refresh_token")
                || grant.equals("authorization_code"))) {
            throw oauthError(req, "BAD_GRANT_TYPE", "unsupported_grant_type",
                    "grant_type must be one of client_credentials, refresh_token, authorization_code");
        }
        if (id == null || !equal(id, clientId)) {
            throw oauthError(req, "BAD_CLIENT_ID", "invalid_client", "missing or unknown client id");
        }
        if (secret == null || !equal(secret, clientSecret)) {
            throw oauthError(req, "BAD_CLIENT_SECRET", "invalid_client", "missing or invalid client secret");
        }
        OAuthTokens.Grant issued;
        switch (grant) {
            case "client_credentials" -> issued = tokens.issueAccess(clientId);
            case "refresh_token" -> {
                String refresh = text(form, "refresh_token");
                issued = refresh == null ? null : tokens.refresh(clientId, refresh);
                if (issued == null) {
                    throw oauthError(req, "BAD_REFRESH_TOKEN", "invalid_grant", "missing or unknown refresh token");
                }
            }
            default -> {
                String code = text(form, "code");
                issued = code == null ? null : tokens.redeemCode(clientId, code);
                if (issued == null) {
                    throw oauthError(req, "BAD_AUTH_CODE", "invalid_grant", "missing or unknown auth code");
                }
            }
        }
        ObjectNode out = Json.object();
        out.put("token_type", "bearer");
        if (issued.refreshToken() != null) {
            out.put("refresh_token", issued.refreshToken());
        }
        out.put("access_token", issued.accessToken());
        out.put("expires_in", issued.expiresIn().toSeconds());
        return ApiResponse.ok(out).withHeader("Cache-Control", "no-store");
    }

    private static String text(Map<String, Object> form, String name) {
        Object v = form.get(name);
        return v instanceof String s && !s.isEmpty() ? s : null;
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** HubSpot's OAuth error: its own {@code status} code word plus the RFC 6749 {@code error} fields. */
    private static ApiException oauthError(ApiRequest req, String status, String rfcError, String message) {
        ObjectNode n = Json.object();
        n.put("status", status);
        n.put("message", message);
        n.put("correlationId", req.requestId());
        n.put("error", rfcError);
        n.put("error_description", message);
        return new ApiException(ApiResponse.json(400, n));
    }
}

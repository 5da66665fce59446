package io.syncline.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth2 (RFC 6749) bearer tokens from a token endpoint: client-credentials or refresh-token grant, refreshed ahead
 * of expiry, one refresh in flight at a time (concurrent callers wait for it and share its result), rotated refresh
 * tokens kept and reported, and token endpoint errors turned into messages that name the key to fix.
 *
 * <p>Created by {@link SynclineHttpClient.Builder#oauth2(OAuth2Settings)} so that token requests go through the same
 * SSRF-guarded transport as API calls. Tokens are never logged nor put into messages.
 */
public final class OAuth2Authenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(OAuth2Authenticator.class);
    private static final JsonFactory JSON = new JsonFactory();

    /** Posts a form to the token endpoint (the client's transport, or anything else in tests). */
    @FunctionalInterface
    interface TokenEndpoint {
        RawResponse post(URI uri, List<Map.Entry<String, String>> headers, byte[] form)
                throws TransportFailure, InterruptedException;
    }

    /** An access token and when to refresh it. */
    private static final class Token {
        final String value;
        final boolean expires;
        final long expiresAt;
        final long refreshAt;
        final long generation;

        Token(String value, boolean expires, long expiresAt, long refreshAt, long generation) {
            this.value = value;
            this.expires = expires;
            this.expiresAt = expiresAt;
            this.refreshAt = refreshAt;
            this.generation = generation;
        }

        boolean valid(long now) {
            return !expires || now - expiresAt < 0;
        }

        boolean due(long now) {
            return expires && now - refreshAt >= 0;
        }
    }

    private final OAuth2Settings settings;
    private final TokenEndpoint endpoint;
    private final TimeSource time;
    private final HttpMetricsListener metrics;
    private final ReentrantLock refreshLock = new ReentrantLock();
    private volatile Token current;
    private volatile String refreshToken;
    private long generations;

    OAuth2Authenticator(OAuth2Settings settings, TokenEndpoint endpoint, TimeSource time, HttpMetricsListener metrics) {
        this.settings = settings;
        this.endpoint = endpoint;
        this.time = time;
        this.metrics = metrics;
        this.refreshToken = settings.refreshToken;
    }

    @Override
    public long apply(HeaderSink headers) throws AuthException, InterruptedException {
        long now = time.nanoTime();
        Token token = current;
        if (token == null || token.due(now) || !token.valid(now)) {
            if (token != null && token.valid(now)) {
                // Due for an early refresh but still valid: refresh unless someone else already is, and keep
                // using the valid token if the early refresh fails.
                if (refreshLock.tryLock()) {
                    try {
                        token = refreshUnlessReplaced(token);
                    } catch (AuthException e) {
                        LOG.debug("early OAuth2 token refresh failed, using the still-valid token: {}", e.getMessage());
                    } finally {
                        refreshLock.unlock();
                    }
                }
            } else {
                refreshLock.lockInterruptibly();
                try {
                    token = refreshUnlessReplaced(token);
                } finally {
                    refreshLock.unlock();
                }
            }
        }
        headers.set("Authorization", "Bearer " + token.value);
        return token.generation;
    }

    @Override
    public boolean refreshAfterRejection(long stamp) throws AuthException, InterruptedException {
        refreshLock.lockInterruptibly();
        try {
            Token token = current;
            if (token != null && token.generation != stamp && token.valid(time.nanoTime())) {
                return true; // another caller already replaced the rejected token
            }
            current = fetch();
            return true;
        } finally {
            refreshLock.unlock();
        }
    }

    @Override
    public String configKey() {
        // A freshly issued token that the API still rejects: the authorization (and its scopes) is wrong.
        return settings.grant == OAuth2Settings.Grant.REFRESH_TOKEN ? settings.refreshTokenKey : settings.clientIdKey;
    }

    @Override
    public Collection<String> secrets() {
        List<String> secrets = new ArrayList<>(4);
        Token token = current;
        if (token != null) {
            secrets.add(token.value);
        }
        if (refreshToken != null) {
            secrets.add(refreshToken);
        }
        if (settings.refreshToken != null) {
            secrets.add(settings.refreshToken);
        }
        if (settings.clientSecret != null) {
            secrets.add(settings.clientSecret);
            secrets.add(basicCredentials());
        }
        return secrets;
    }

    /** The refresh token in use now (the configured one until the endpoint rotates it). */
    public Optional<String> currentRefreshToken() {
        return Optional.ofNullable(refreshToken);
    }

    private Token refreshUnlessReplaced(Token seen) throws AuthException, InterruptedException {
        Token token = current;
        if (token != null && token != seen && token.valid(time.nanoTime()) && !token.due(time.nanoTime())) {
            return token; // refreshed by the caller we waited for
        }
        Token fresh = fetch();
        current = fresh;
        return fresh;
    }

    private Token fetch() throws AuthException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(entry("Accept", "application/json"));
        boolean refreshGrant = settings.grant == OAuth2Settings.Grant.REFRESH_TOKEN;
        form.put("grant_type", refreshGrant ? "refresh_token" : "client_credentials");
        if (refreshGrant) {
            form.put("refresh_token", refreshToken);
        }
        if (settings.scope != null && !settings.scope.isBlank()) {
            form.put("scope", settings.scope);
        }
        form.putAll(settings.extraParameters);
        if (settings.clientAuth == OAuth2Settings.ClientAuth.CLIENT_SECRET_BASIC) {
            headers.add(entry("Authorization", "Basic " + basicCredentials()));
        } else {
            form.put("client_id", settings.clientId);
            if (settings.clientSecret != null) {
                form.put("client_secret", settings.clientSecret);
            }
        }
        byte[] body = form.entrySet().stream().map(e -> urlEncode(e.getKey()) + "=" + urlEncode(e.getValue()))
                .collect(Collectors.joining("&")).getBytes(StandardCharsets.UTF_8);
        String where = "OAuth2 token request to " + SynclineRequest.withoutUserInfo(settings.tokenUrl);
        long started = time.nanoTime();
        RawResponse response;
        try {
            response = endpoint.post(settings.tokenUrl, headers, body);
        } catch (TransportFailure failure) {
            metrics.tokenRequest(settings.tokenUrl.getHost(), false);
            throw new AuthException(failure.rule, where + ": " + failure.describe(), keyFor(failure.rule), 0, null,
                    failure.getCause());
        }
        try {
            return accept(response, started, where);
        } catch (AuthException e) {
            metrics.tokenRequest(settings.tokenUrl.getHost(), false);
            throw e;
        }
    }

    private Token accept(RawResponse response, long started, String where) throws AuthException {
        Map<String, String> fields = parse(response);
        if (response.status / 100 != 2) {
            throw rejection(response, fields, where);
        }
        String accessToken = fields.get("access_token");
        if (accessToken == null || accessToken.isBlank()) {
            throw new AuthException(FailureRule.TOKEN_REJECTED, where + ": the " + response.status
                    + " response has no access_token; check that the token URL is the OAuth2 token endpoint",
                    settings.clientIdKey, response.status, null, null);
        }
        String tokenType = fields.get("token_type");
        if (tokenType != null && !tokenType.equalsIgnoreCase("bearer")) {
            throw new AuthException(FailureRule.TOKEN_REJECTED, where + ": token_type '" + tokenType
                    + "' is not supported (only bearer)", settings.clientIdKey, response.status, null, null);
        }
        Long expiresIn = parseSeconds(fields.get("expires_in"));
        Token token;
        synchronized (this) {
            long generation = ++generations;
            if (expiresIn == null) {
                token = new Token(accessToken, false, 0, 0, generation);
            } else {
                long lifetime = Duration.ofSeconds(expiresIn).toNanos();
                // Never refresh earlier than half-way through a short-lived token, or every call would refresh.
                long skew = Math.min(CancelSignal.saturatedNanos(settings.refreshSkew), lifetime / 2);
                token = new Token(accessToken, true, started + lifetime, started + lifetime - skew, generation);
            }
        }
        String rotated = fields.get("refresh_token");
        if (rotated != null && !rotated.isBlank() && !rotated.equals(refreshToken)) {
            refreshToken = rotated;
            try {
                settings.refreshTokenListener.accept(rotated);
            } catch (RuntimeException e) {
                LOG.warn("the refresh-token rotation callback failed ({}); the new refresh token is kept in memory "
                        + "only", e.getClass().getName());
            }
        }
        metrics.tokenRequest(settings.tokenUrl.getHost(), true);
        LOG.debug("{}: got an access token{}", where,
                expiresIn == null ? " without expires_in" : " expiring in " + expiresIn + " s");
        return token;
    }

    private AuthException rejection(RawResponse response, Map<String, String> fields, String where) {
        int status = response.status;
        FailureRule rule = HttpFailureClassifier.classify(status).orElse(FailureRule.CLIENT_ERROR);
        Duration retryAfter = RetryAfter.fromResponse(status, response.headers, time.now()).orElse(null);
        String statusText = status + " " + SynclineHttpClient.reason(status);
        if (rule.kindFor(CallLevel.CONFIG) == FailureKind.RETRY) {
            return new AuthException(rule, where + ": " + statusText, null, status, retryAfter, null);
        }
        if (rule == FailureRule.REDIRECT) {
            return new AuthException(rule, where + ": " + statusText + " to "
                    + response.headers.first("Location").orElse("(no Location)")
                    + " (redirects are not followed; configure the final token URL)", null, status, null, null);
        }
        String error = fields.getOrDefault("error", "");
        String description = fields.containsKey("error_description")
                ? ": " + Redactor.truncate(fields.get("error_description"), 200) : "";
        String code = error.isEmpty() ? statusText : statusText + ", " + error + description;
        switch (error) {
            case "invalid_grant":
                if (settings.grant == OAuth2Settings.Grant.REFRESH_TOKEN) {
                    return tokenRejected(where + " rejected the refresh token (" + code + "): it was revoked, expired "
                            + "or already used; authorize the app again and set '" + settings.refreshTokenKey
                            + "' to the new refresh token", settings.refreshTokenKey, status);
                }
                return tokenRejected(where + " rejected the grant (" + code + "); check '" + settings.clientIdKey
                        + "' and '" + settings.clientSecretKey + "'", settings.clientSecretKey, status);
            case "invalid_client":
                return tokenRejected(where + " rejected the client credentials (" + code + "); check '"
                        + settings.clientIdKey + "' and '" + settings.clientSecretKey + "'",
                        settings.clientSecretKey, status);
            case "invalid_scope":
                return tokenRejected(where + " rejected the requested scope (" + code + "); check '"
                        + settings.scopeKey + "'", settings.scopeKey, status);
            case "unauthorized_client":
            case "unsupported_grant_type":
                return tokenRejected(where + " does not allow this client the " + form(settings.grant) + " grant ("
                        + code + "); check the OAuth app's settings and '" + settings.clientIdKey + "'",
                        settings.clientIdKey, status);
            default:
                return tokenRejected(where + " failed (" + code + "); check the token URL and '"
                        + settings.clientIdKey + "'", settings.clientIdKey, status);
        }
    }

    private static AuthException tokenRejected(String message, String key, int status) {
        return new AuthException(FailureRule.TOKEN_REJECTED, message, key, status, null, null);
    }

    private String keyFor(FailureRule rule) {
        return rule.kindFor(CallLevel.CONFIG) == FailureKind.RETRY ? null : settings.clientIdKey;
    }

    private static String form(OAuth2Settings.Grant grant) {
        return grant == OAuth2Settings.Grant.REFRESH_TOKEN ? "refresh_token" : "client_credentials";
    }

    private String basicCredentials() {
        // RFC 6749 §2.3.1: id and secret are form-encoded before being joined for basic auth.
        String pair = urlEncode(settings.clientId) + ":" + urlEncode(settings.clientSecret == null ? ""
                : settings.clientSecret);
        return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** Top-level scalar fields of a JSON object, or of a form-encoded body (some old endpoints answer so). */
    private static Map<String, String> parse(RawResponse response) {
        Map<String, String> fields = new LinkedHashMap<>();
        String type = response.headers.first("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            for (String pair : new String(response.body, StandardCharsets.UTF_8).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return fields;
        }
        try (JsonParser parser = JSON.createParser(response.body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return fields;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    parser.skipChildren();
                } else if (value != JsonToken.VALUE_NULL) {
                    fields.put(name, parser.getText());
                }
            }
        } catch (IOException notJson) {
            // Fall through with what was read: the caller reports the missing fields.
        }
        return fields;
    }

    private static Long parseSeconds(String value) {
        if (value == null) {
            return null;
        }
        try {
            long seconds = (long) Double.parseDouble(value.trim());
            return seconds > 0 ? seconds : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Map.Entry<String, String> entry(String name, String value) {
        return new AbstractMap.SimpleImmutableEntry<>(name, value);
    }

    @Override
    public String toString() {
        return "OAuth2Authenticator{" + settings + "}";
    }
}

package io.syncline.http;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to obtain OAuth2 access tokens (RFC 6749): the token endpoint, the grant (client credentials or refresh
 * token), how the client authenticates, how early to refresh, and which config keys messages should name.
 *
 * <p>Secrets are values the caller resolved already; this class never prints them ({@link #toString()} omits them).
 */
public final class OAuth2Settings {

    /** The grant used at the token endpoint. */
    public enum Grant {
        /** {@code grant_type=client_credentials}: the client acts for itself. */
        CLIENT_CREDENTIALS,
        /** {@code grant_type=refresh_token}: a refresh token obtained once by a user's authorization. */
        REFRESH_TOKEN
    }

    /** How the client authenticates to the token endpoint (RFC 6749 §2.3.1). */
    public enum ClientAuth {
        /** HTTP basic with the form-encoded client id and secret; the method servers must support. */
        CLIENT_SECRET_BASIC,
        /** {@code client_id} and {@code client_secret} in the form body (HubSpot, many others). */
        CLIENT_SECRET_POST
    }

    final URI tokenUrl;
    final Grant grant;
    final String clientId;
    final String clientSecret;
    final String refreshToken;
    final String scope;
    final Map<String, String> extraParameters;
    final ClientAuth clientAuth;
    final Duration refreshSkew;
    final String clientIdKey;
    final String clientSecretKey;
    final String refreshTokenKey;
    final String scopeKey;
    final Consumer<String> refreshTokenListener;

    private OAuth2Settings(Builder b) {
        this.tokenUrl = b.tokenUrl;
        this.grant = b.grant;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.refreshToken = b.refreshToken;
        this.scope = b.scope;
        this.extraParameters = Map.copyOf(b.extraParameters);
        this.clientAuth = b.clientAuth;
        this.refreshSkew = b.refreshSkew;
        this.clientIdKey = b.clientIdKey;
        this.clientSecretKey = b.clientSecretKey;
        this.refreshTokenKey = b.refreshTokenKey;
        this.scopeKey = b.scopeKey;
        this.refreshTokenListener = b.refreshTokenListener;
    }

    /** Client-credentials grant against {@code tokenUrl}. */
    public static Builder clientCredentials(String tokenUrl, String clientId, String clientSecret) {
        Builder b = new Builder(tokenUrl, Grant.CLIENT_CREDENTIALS, clientId);
        b.clientSecret = clientSecret;
        return b;
    }

    /** Refresh-token grant against {@code tokenUrl}; {@code clientSecret} may be null for a public client. */
    public static Builder refreshToken(String tokenUrl, String clientId, String clientSecret, String refreshToken) {
        Builder b = new Builder(tokenUrl, Grant.REFRESH_TOKEN, clientId);
        b.clientSecret = clientSecret;
        b.refreshToken = refreshToken;
        return b;
    }

    /** The token endpoint. */
    public URI tokenUrl() {
        return tokenUrl;
    }

    /** The grant. */
    public Grant grant() {
        return grant;
    }

    @Override
    public String toString() {
        return "OAuth2Settings{" + grant + " at " + tokenUrl + ", client auth " + clientAuth + ", skew " + refreshSkew
                + "}";
    }

    private static String requireNonBlank(String value, String what, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is missing: set '" + key + "'");
        }
        return value;
    }

    /** Builds {@link OAuth2Settings}. */
    public static final class Builder {
        private final URI tokenUrl;
        private final Grant grant;
        private final String clientId;
        private String clientSecret;
        private String refreshToken;
        private String scope;
        private final Map<String, String> extraParameters = new LinkedHashMap<>();
        private ClientAuth clientAuth = ClientAuth.CLIENT_SECRET_BASIC;
        private Duration refreshSkew = Duration.ofSeconds(60);
        private String clientIdKey = "oauth2.client.id";
        private String clientSecretKey = "oauth2.client.secret";
        private String refreshTokenKey = "oauth2.refresh.token";
        private String scopeKey = "oauth2.scope";
        private Consumer<String> refreshTokenListener = token -> { };

        private Builder(String tokenUrl, Grant grant, String clientId) {
            Objects.requireNonNull(tokenUrl, "token URL");
            URI uri;
            try {
                uri = URI.create(tokenUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + tokenUrl + "' is not a valid OAuth2 token URL", e);
            }
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw new IllegalArgumentException("'" + tokenUrl
                        + "' is not an absolute OAuth2 token URL (expected e.g. https://auth.example.com/oauth/token)");
            }
            this.tokenUrl = uri;
            this.grant = grant;
            this.clientId = clientId;
        }

        /** The {@code scope} parameter (space-separated scopes). */
        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        /** Another form parameter for the token request, e.g. {@code audience}. */
        public Builder parameter(String name, String value) {
            extraParameters.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /** How the client authenticates (default {@link ClientAuth#CLIENT_SECRET_BASIC}). */
        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = Objects.requireNonNull(clientAuth);
            return this;
        }

        /** Refresh this long before the token expires (default 60 s; at most half the token's lifetime is used). */
        public Builder refreshSkew(Duration skew) {
            if (skew == null || skew.isNegative()) {
                throw new IllegalArgumentException("OAuth2 refresh skew must be zero or positive, got " + skew);
            }
            this.refreshSkew = skew;
            return this;
        }

        /** The config keys error messages name (defaults {@code oauth2.client.id}, ...). */
        public Builder configKeys(String clientIdKey, String clientSecretKey, String refreshTokenKey, String scopeKey) {
            this.clientIdKey = Objects.requireNonNull(clientIdKey);
            this.clientSecretKey = Objects.requireNonNull(clientSecretKey);
            this.refreshTokenKey = Objects.requireNonNull(refreshTokenKey);
            this.scopeKey = Objects.requireNonNull(scopeKey);
            return this;
        }

        /**
         * Called with the new refresh token whenever the token endpoint rotates it, so the caller can persist it
         * (the old one usually stops working). Runs on the refreshing thread; exceptions are logged and ignored.
         */
        public Builder onRefreshTokenRotated(Consumer<String> listener) {
            this.refreshTokenListener = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException naming the config key of a missing value
         */
        public OAuth2Settings build() {
            requireNonBlank(clientId, "the OAuth2 client id", clientIdKey);
            if (grant == Grant.CLIENT_CREDENTIALS) {
                requireNonBlank(clientSecret, "the OAuth2 client secret", clientSecretKey);
            } else {
                requireNonBlank(refreshToken, "the OAuth2 refresh token", refreshTokenKey);
            }
            if (clientAuth == ClientAuth.CLIENT_SECRET_BASIC && clientSecret == null) {
                // A public client has no secret to send in basic auth; it sends client_id in the form instead.
                clientAuth = ClientAuth.CLIENT_SECRET_POST;
            }
            return new OAuth2Settings(this);
        }
    }
}

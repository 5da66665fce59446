package io.syncline.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Adds credentials to outgoing requests: a static bearer token, basic auth, an API-key header, or OAuth2
 * ({@link SynclineHttpClient.Builder#oauth2(OAuth2Settings)}).
 *
 * <p>Secrets arrive as values the caller already resolved (Connect {@code ${env:...}} config providers or
 * {@code SecretRef}); implementations must never log them or put them in exception messages.
 */
public interface Authenticator {

    /** Receives header fields. */
    @FunctionalInterface
    interface HeaderSink {
        /** Sets (replaces) a header. */
        void set(String name, String value);
    }

    /**
     * Adds credentials to a request about to be sent.
     *
     * @return a stamp identifying the credentials used, passed back to {@link #refreshAfterRejection}
     * @throws AuthException when no credentials can be obtained (e.g. the token endpoint refuses)
     * @throws InterruptedException when interrupted while waiting for a token
     */
    long apply(HeaderSink headers) throws AuthException, InterruptedException;

    /**
     * The target rejected the credentials with {@code stamp} (401/403): obtain new ones if possible. Called at most
     * once per call; concurrent callers rejected with the same stamp cause one refresh between them.
     *
     * @return true if retrying with fresh credentials makes sense
     */
    default boolean refreshAfterRejection(long stamp) throws AuthException, InterruptedException {
        return false;
    }

    /** The configuration key(s) a user should check when the credentials are rejected. */
    String configKey();

    /** Secret values currently in use, masked out of every message the client builds. */
    default Collection<String> secrets() {
        return List.of();
    }

    /** No credentials. */
    static Authenticator none() {
        return new Authenticator() {
            @Override
            public long apply(HeaderSink headers) {
                return 0;
            }

            @Override
            public String configKey() {
                return "(no credentials configured)";
            }
        };
    }

    /** {@code Authorization: Bearer <token>} with a fixed token (Stripe secret keys, HubSpot private-app tokens). */
    static Authenticator bearer(String token, String configKey) {
        return header("Authorization", "Bearer " + requireSecret(token, configKey), configKey, List.of(token));
    }

    /** HTTP basic auth (RFC 7617), e.g. Zendesk's {@code email/token} with an API token. */
    static Authenticator basic(String user, String password, String configKey) {
        Objects.requireNonNull(user, "basic auth user for " + configKey);
        requireSecret(password, configKey);
        String encoded = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return header("Authorization", "Basic " + encoded, configKey, List.of(password, encoded));
    }

    /** An API key in a header of the provider's choosing, e.g. {@code X-Api-Key}. */
    static Authenticator apiKeyHeader(String headerName, String apiKey, String configKey) {
        Objects.requireNonNull(headerName, "API key header name");
        return header(headerName, requireSecret(apiKey, configKey), configKey, List.of(apiKey));
    }

    private static Authenticator header(String name, String value, String configKey, List<String> secrets) {
        Objects.requireNonNull(configKey, "configKey");
        return new Authenticator() {
            @Override
            public long apply(HeaderSink headers) {
                headers.set(name, value);
                return 1;
            }

            @Override
            public String configKey() {
                return configKey;
            }

            @Override
            public Collection<String> secrets() {
                return secrets;
            }

            @Override
            public String toString() {
                return "Authenticator{" + name + " from '" + configKey + "'}";
            }
        };
    }

    private static String requireSecret(String secret, String configKey) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("no credential given: set '" + configKey + "'");
        }
        return secret;
    }
}

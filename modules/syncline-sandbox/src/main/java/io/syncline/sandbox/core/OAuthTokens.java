package io.syncline.sandbox.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The token state of a simulated OAuth 2.0 authorization server (RFC 6749): access tokens that expire after a TTL,
 * refresh tokens that can be rotated on use and revoked, and one-time authorization codes. Thread-safe. The
 * provider's token endpoint (wire format, error bodies) is built on top of this by each sandbox.
 */
public final class OAuthTokens {

    /** Result of checking a bearer token. */
    public sealed interface Check permits Valid, Expired, Unknown {
    }

    /** A live token of {@code clientId}. */
    public record Valid(String clientId, Instant expiresAt) implements Check {
    }

    /** A token that was valid until {@code expiredAt}. */
    public record Expired(String clientId, Instant expiredAt) implements Check {
    }

    /** Not a token this server issued (or one that was revoked). */
    public record Unknown() implements Check {
    }

    /** A freshly issued access token and, when one was issued or kept, the refresh token. */
    public record Grant(String accessToken, Duration expiresIn, String refreshToken) {
    }

    private record Access(String clientId, Instant expiresAt) {
    }

    private final Clock clock;
    private final IdGenerator ids;
    private final Map<String, Access> access = new HashMap<>();
    private final Map<String, String> refresh = new HashMap<>();
    private final Map<String, String> codes = new HashMap<>();
    private volatile Duration accessTtl;
    private volatile boolean rotateRefreshTokens;

    public OAuthTokens(Clock clock, IdGenerator ids, Duration accessTtl, boolean rotateRefreshTokens) {
        this.clock = clock;
        this.ids = ids;
        accessTtl(accessTtl);
        this.rotateRefreshTokens = rotateRefreshTokens;
    }

    public void accessTtl(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("access token TTL must be positive, got " + ttl);
        }
        this.accessTtl = ttl;
    }

    public Duration accessTtl() {
        return accessTtl;
    }

    /** Whether using a refresh token replaces it with a new one (the old one stops working). */
    public void rotateRefreshTokens(boolean rotate) {
        this.rotateRefreshTokens = rotate;
    }

    /** A new access token for {@code clientId} (client-credentials grant). */
    public synchronized Grant issueAccess(String clientId) {
        return new Grant(newAccess(clientId), accessTtl, null);
    }

    /** A refresh token for {@code clientId}, as if a user had installed the app. */
    public synchronized String issueRefreshToken(String clientId) {
        String token = uuid();
        refresh.put(token, clientId);
        return token;
    }

    /**
     * Accepts {@code token} as a refresh token of {@code clientId}, as if it had been issued earlier: a demo keeps its
     * credentials across restarts of a sandbox whose token state lives in memory.
     */
    public synchronized void acceptRefreshToken(String clientId, String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a refresh token must not be empty");
        }
        refresh.put(token, clientId);
    }

    /** A one-time authorization code for {@code clientId}. */
    public synchronized String issueCode(String clientId) {
        String code = uuid();
        codes.put(code, clientId);
        return code;
    }

    /** Exchanges a code for tokens; null when the code is unknown, used, or belongs to another client. */
    public synchronized Grant redeemCode(String clientId, String code) {
        String owner = codes.get(code);
        if (!Objects.equals(owner, clientId)) {
            return null;
        }
        codes.remove(code);
        String refreshToken = uuid();
        refresh.put(refreshToken, clientId);
        return new Grant(newAccess(clientId), accessTtl, refreshToken);
    }

    /** Refresh-token grant; null when the token is unknown, revoked, rotated away or of another client. */
    public synchronized Grant refresh(String clientId, String refreshToken) {
        String owner = refresh.get(refreshToken);
        if (!Objects.equals(owner, clientId)) {
            return null;
        }
        String next = refreshToken;
        if (rotateRefreshTokens) {
            refresh.remove(refreshToken);
            next = uuid();
            refresh.put(next, clientId);
        }
        return new Grant(newAccess(clientId), accessTtl, next);
    }

    /** Revokes a refresh token; returns whether it existed. */
    public synchronized boolean revokeRefreshToken(String token) {
        return refresh.remove(token) != null;
    }

    /** Makes every access token issued so far expired now (they answer "expired", not "unknown"). */
    public synchronized void expireAllAccessTokens() {
        Instant now = clock.instant().minusMillis(1);
        access.replaceAll((k, v) -> new Access(v.clientId, v.expiresAt.isAfter(now) ? now : v.expiresAt));
    }

    public synchronized Check check(String accessToken) {
        Access a = access.get(accessToken);
        if (a == null) {
            return new Unknown();
        }
        return clock.instant().isBefore(a.expiresAt) ? new Valid(a.clientId, a.expiresAt)
                : new Expired(a.clientId, a.expiresAt);
    }

    private String newAccess(String clientId) {
        String token = ids.next("CN", 70);
        access.put(token, new Access(clientId, clock.instant().plus(accessTtl)));
        return token;
    }

    private String uuid() {
        return ids.uuid();
    }
}

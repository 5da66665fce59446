package io.syncline.http;

import static io.syncline.http.FailureKind.AUTH;
import static io.syncline.http.FailureKind.CANCELLED;
import static io.syncline.http.FailureKind.PERMANENT_CONFIG;
import static io.syncline.http.FailureKind.PERMANENT_RECORD;
import static io.syncline.http.FailureKind.RETRY;

/**
 * One row of the failure table: a condition, the kind it gets on config-level and per-record calls, and why.
 *
 * <p>The rows are ordered as {@link HttpFailureClassifier} matches them; {@code docs/http.md} is generated from
 * this enum and a test fails when the two disagree. The rule name is also the reason label metrics see.
 */
public enum FailureRule {
    /** A 3xx: redirects are never followed, so the caller must point at the final location. */
    REDIRECT("3xx redirect", PERMANENT_CONFIG, PERMANENT_CONFIG, false,
            "redirects are never followed (an open redirect would bypass the SSRF guard); "
                    + "the message names the Location to configure instead"),
    /** 401 or 403: the credentials were rejected. */
    UNAUTHORIZED("401, 403", AUTH, AUTH, false,
            "the authenticator refreshes its token once and the call is repeated; a second rejection fails "
                    + "naming the credential's config key"),
    /** 408, 409, 425: the server asks to try again. */
    RETRYABLE_STATUS("408, 409, 425", RETRY, RETRY, true,
            "request timeout, conflict (Stripe: a concurrent request with the same idempotency key), too early; "
                    + "a caller that means 409 as 'already exists' accepts it explicitly"),
    /** 429: rate limited. */
    RATE_LIMITED("429", RETRY, RETRY, true,
            "honours Retry-After (or X-RateLimit-Reset), and slows the target's token bucket down"),
    /** 501 or 505: the server will never support this method or protocol version. */
    NOT_IMPLEMENTED("501, 505", PERMANENT_CONFIG, PERMANENT_CONFIG, false,
            "the server does not implement the method (or HTTP version): retrying cannot help"),
    /** Any other 5xx. */
    SERVER_ERROR("other 5xx", RETRY, RETRY, false,
            "server-side trouble, usually passing"),
    /** Any other non-2xx status (4xx and anything unexpected). */
    CLIENT_ERROR("other 4xx (and any other non-2xx)", PERMANENT_CONFIG, PERMANENT_RECORD, false,
            "config-level: the URL, parameters or permissions are wrong; per-record: the target rejected this record"),
    /** Connect, idle or total timeout. */
    TIMEOUT("connect, idle or total timeout", RETRY, RETRY, false,
            "network or server slowness"),
    /** The connection could not be opened: nothing was sent. */
    CONNECT_FAILED("connection refused or not established", RETRY, RETRY, true,
            "nothing reached the server, so even a POST is safe to repeat"),
    /** The connection broke after the request may have been sent. */
    CONNECTION_LOST("connection reset or closed before a response", RETRY, RETRY, false,
            "the server may or may not have applied the request"),
    /** The response body ended before its declared length. */
    TRUNCATED_BODY("response body cut short", RETRY, RETRY, false,
            "the status arrived but the body did not; the request was processed, so only idempotent calls repeat"),
    /** The host name did not resolve. */
    UNKNOWN_HOST("host name does not resolve", PERMANENT_CONFIG, RETRY, true,
            "on a config-level call a typo in the URL; mid-stream a DNS hiccup"),
    /** TLS handshake or certificate failure. */
    TLS("TLS handshake or certificate failure", PERMANENT_CONFIG, PERMANENT_CONFIG, false,
            "wrong host name, untrusted or expired certificate: retrying cannot help"),
    /** Refused by the outbound policy before connecting. */
    SSRF_REFUSED("refused by the outbound policy (scheme, address range, metadata host)", PERMANENT_CONFIG,
            PERMANENT_CONFIG, false,
            "the target is internal; allow-list it in syncline.yaml if that is intended"),
    /** The response body is larger than the configured limit. */
    RESPONSE_TOO_LARGE("response body over the size limit", PERMANENT_CONFIG, PERMANENT_CONFIG, false,
            "raise the client's max response size or ask for smaller pages"),
    /** The request itself could not be built or sent (bad URL, header or body). */
    INVALID_REQUEST("request could not be built or sent (bad URL, header, body)", PERMANENT_CONFIG,
            PERMANENT_RECORD, false,
            "a bad URL from configuration, or a record that produced an invalid request"),
    /** No permit from the local rate limiter within the allowed wait. */
    LOCAL_RATE_LIMIT("no local rate-limit permit within the wait", RETRY, RETRY, true,
            "our own token bucket or request budget is empty; nothing was sent"),
    /** The OAuth2 token endpoint rejected the grant or the client. */
    TOKEN_REJECTED("token endpoint rejected the grant (invalid_grant, invalid_client, ...)", AUTH, AUTH, false,
            "a revoked refresh token or a wrong client secret: the message names the key to fix"),
    /** The client was closed or the calling thread interrupted. */
    CANCELLED_CALL("client closed or thread interrupted", CANCELLED, CANCELLED, false,
            "the task is stopping");

    private final String condition;
    private final FailureKind configLevel;
    private final FailureKind recordLevel;
    private final boolean retriedForUnsafeMethods;
    private final String why;

    FailureRule(String condition, FailureKind configLevel, FailureKind recordLevel,
                boolean retriedForUnsafeMethods, String why) {
        this.condition = condition;
        this.configLevel = configLevel;
        this.recordLevel = recordLevel;
        this.retriedForUnsafeMethods = retriedForUnsafeMethods;
        this.why = why;
    }

    /** The kind this rule gives on a call of the given level. */
    public FailureKind kindFor(CallLevel level) {
        return level == CallLevel.CONFIG ? configLevel : recordLevel;
    }

    /** Human-readable condition, as shown in the docs table. */
    public String condition() {
        return condition;
    }

    /**
     * Whether a RETRY failure is also retried for a non-idempotent request (a POST or PATCH without an
     * idempotency key): only when the request cannot have been applied.
     */
    public boolean retriedForUnsafeMethods() {
        return retriedForUnsafeMethods;
    }

    /** Why the rule decides as it does. */
    public String why() {
        return why;
    }
}

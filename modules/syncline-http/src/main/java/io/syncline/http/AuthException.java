package io.syncline.http;

import java.time.Duration;
import java.util.Optional;

/**
 * An {@link Authenticator} could not produce credentials (e.g. the token endpoint refused or was unreachable); the
 * message is safe to show, it never holds a secret.
 */
public final class AuthException extends Exception {
    private static final long serialVersionUID = 1L;

    private final FailureRule rule;
    private final FailureKind kind;
    private final String configKey;
    private final int status;
    private final transient Duration retryAfter;

    /**
     * Creates the exception.
     *
     * @param rule the failure-table row (e.g. {@link FailureRule#TOKEN_REJECTED}, {@link FailureRule#TIMEOUT})
     * @param message a complete message without secrets
     * @param configKey the configuration key to fix, or null
     * @param status the token endpoint's status, or 0
     * @param retryAfter the token endpoint's Retry-After, or null
     * @param cause the transport exception, or null
     */
    public AuthException(FailureRule rule, String message, String configKey, int status, Duration retryAfter,
                         Throwable cause) {
        super(message, cause);
        this.rule = rule;
        // Token requests are about configuration, whatever the call that needed the token.
        this.kind = rule.kindFor(CallLevel.CONFIG);
        this.configKey = configKey;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** The failure-table row. */
    public FailureRule rule() {
        return rule;
    }

    /** The kind, judged as a config-level call. */
    public FailureKind kind() {
        return kind;
    }

    /** The key to fix, if known. */
    public Optional<String> configKey() {
        return Optional.ofNullable(configKey);
    }

    /** The token endpoint's status, or 0 when none arrived. */
    public int status() {
        return status;
    }

    /** The token endpoint's Retry-After, if any. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}

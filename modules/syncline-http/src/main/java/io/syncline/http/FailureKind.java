package io.syncline.http;

/**
 * What a failed outbound HTTP call means for the caller: the one vocabulary sources and sinks share.
 *
 * <p>Every failure the client returns carries exactly one kind, decided by {@link HttpFailureClassifier}.
 */
public enum FailureKind {
    /** Transient: the client already retried with backoff; when attempts ran out the caller may try again later. */
    RETRY("transient; retried with backoff and jitter, honouring Retry-After"),
    /** Credentials rejected after one token refresh: fail and fix the configuration key named in the message. */
    AUTH("credentials rejected after one refresh: fail and fix the named config key"),
    /** Caused by the record being sent: dead-letter that record and carry on with the next. */
    PERMANENT_RECORD("caused by the record: dead-letter it and continue"),
    /** Caused by the configuration (URL, scheme, allow-list, method): fail fast with the message. */
    PERMANENT_CONFIG("caused by the configuration: fail fast"),
    /** The client was closed or the calling thread interrupted: stop quietly, nothing failed at the target. */
    CANCELLED("the client was closed or the thread interrupted: stop quietly");

    private final String meaning;

    FailureKind(String meaning) {
        this.meaning = meaning;
    }

    /** One line for docs and messages saying what the caller should do. */
    public String meaning() {
        return meaning;
    }
}

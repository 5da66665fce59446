package io.syncline.http;

/** An {@link HttpFailure} thrown, for callers that prefer exceptions (see {@link HttpResult#orThrow()}). */
public final class HttpCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient HttpFailure failure;

    HttpCallException(HttpFailure failure) {
        super(failure.message(), failure.cause().orElse(null));
        this.failure = failure;
    }

    /** The failure. */
    public HttpFailure failure() {
        return failure;
    }

    /** Shortcut for {@code failure().kind()}. */
    public FailureKind kind() {
        return failure.kind();
    }
}

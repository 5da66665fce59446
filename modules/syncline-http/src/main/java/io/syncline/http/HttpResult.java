package io.syncline.http;

import java.util.Objects;

/** The outcome of {@link SynclineHttpClient#execute}: a response, or a classified failure (errors as values). */
public final class HttpResult {
    private final SynclineResponse response;
    private final HttpFailure failure;

    private HttpResult(SynclineResponse response, HttpFailure failure) {
        this.response = response;
        this.failure = failure;
    }

    static HttpResult success(SynclineResponse response) {
        return new HttpResult(Objects.requireNonNull(response), null);
    }

    static HttpResult failed(HttpFailure failure) {
        return new HttpResult(null, Objects.requireNonNull(failure));
    }

    /** Whether a response arrived that the caller handles (2xx or an accepted status). */
    public boolean isSuccess() {
        return response != null;
    }

    /**
     * The response.
     *
     * @throws IllegalStateException if this is a failure (check {@link #isSuccess()} first, or use {@link #orThrow()})
     */
    public SynclineResponse response() {
        if (response == null) {
            throw new IllegalStateException("no response: " + failure.message());
        }
        return response;
    }

    /**
     * The failure.
     *
     * @throws IllegalStateException if this is a success
     */
    public HttpFailure failure() {
        if (failure == null) {
            throw new IllegalStateException("the call succeeded with status " + response.status());
        }
        return failure;
    }

    /** The response, or the failure thrown as an {@link HttpCallException}. */
    public SynclineResponse orThrow() {
        if (response == null) {
            throw failure.toException();
        }
        return response;
    }

    @Override
    public String toString() {
        return response != null ? response.toString() : failure.toString();
    }
}

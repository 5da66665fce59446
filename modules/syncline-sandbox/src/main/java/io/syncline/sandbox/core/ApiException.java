package io.syncline.sandbox.core;

/** Ends a simulated API call with a provider-shaped error response, from wherever the problem is found. */
public final class ApiException extends RuntimeException {

    private final transient ApiResponse response;

    public ApiException(ApiResponse response) {
        super("sandbox API error " + response.status(), null, false, false);
        this.response = response;
    }

    public ApiResponse response() {
        return response;
    }
}

package io.syncline.sandbox.core;

/** Answers one simulated API call; throw {@link ApiException} for provider-shaped errors. */
@FunctionalInterface
public interface ApiHandler {
    ApiResponse handle(ApiRequest request) throws Exception;
}

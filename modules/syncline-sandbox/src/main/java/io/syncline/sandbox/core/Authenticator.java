package io.syncline.sandbox.core;

/** Checks a request's credentials the way the simulated provider does. */
@FunctionalInterface
public interface Authenticator {

    /**
     * @return the principal (an account or token id used to scope rate limits and idempotency keys)
     * @throws ApiException with the provider's 401 answer when the credentials are missing or wrong
     */
    String authenticate(ApiRequest request);
}

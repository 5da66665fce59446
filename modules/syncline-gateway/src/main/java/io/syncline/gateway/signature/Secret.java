package io.syncline.gateway.signature;

import java.util.Objects;

/**
 * A resolved signing secret together with the reference it came from; {@link #toString()} shows only the reference.
 *
 * @param reference where the secret came from, e.g. {@code env:STRIPE_WEBHOOK_SECRET}; safe to log
 * @param value the secret itself; never logged
 */
public record Secret(String reference, String value) {

    public Secret {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return reference;
    }
}

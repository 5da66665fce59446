package io.syncline.config;

/** A section of {@code syncline.yaml} that checks its own values and cross-field rules. */
public interface Validatable {

    /**
     * Adds a problem for each invalid value.
     *
     * @param path the key path of this section, e.g. {@code cluster}
     */
    void validate(Problems problems, String path);
}

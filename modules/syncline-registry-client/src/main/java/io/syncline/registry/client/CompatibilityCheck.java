package io.syncline.registry.client;

import java.util.List;

/**
 * The registry's answer to "may this schema be registered under this subject?", with its reasons when it may not.
 *
 * @param compatible whether the schema passes the subject's compatibility level
 * @param messages the registry's explanations (empty when compatible, or when the registry gave none)
 */
public record CompatibilityCheck(boolean compatible, List<String> messages) {

    public CompatibilityCheck {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}

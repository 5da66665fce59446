package io.syncline.cli.plan;

import java.util.List;
import java.util.Set;

import io.syncline.config.ConnectorConfig;
import io.syncline.config.ProviderReference;

/**
 * Which connector settings are secrets, and how a plan shows them: a secret's value never reaches the terminal; a
 * config provider reference ({@code ${env:NAME}}, {@code ${file:/path:key}}) is not a secret and is shown.
 */
final class Secrets {

    /** What the plan prints in place of a secret value. */
    static final String HIDDEN = "(hidden)";

    private Secrets() {
    }

    /**
     * Whether {@code key} holds a secret: its spelling says so ({@link ConnectorConfig#isSecretKey}) or the connector
     * declares it {@code PASSWORD}.
     */
    static boolean isSecret(String key, Set<String> passwordKeys) {
        return ConnectorConfig.isSecretKey(key) || passwordKeys.contains(key);
    }

    /** Whether {@code value} is exactly one config provider reference, which the worker resolves when it starts. */
    static boolean isReference(String value) {
        if (value == null) {
            return false;
        }
        List<ProviderReference> refs = ProviderReference.findAll(value);
        return refs.size() == 1 && refs.get(0).text().equals(value.trim());
    }

    /** The value as a plan may print it: as it is, or {@link #HIDDEN} for a secret that is not a reference. */
    static String shown(String key, String value, Set<String> passwordKeys) {
        if (value == null) {
            return "(none)";
        }
        return isSecret(key, passwordKeys) && !isReference(value) && !value.isEmpty() ? HIDDEN : value;
    }
}

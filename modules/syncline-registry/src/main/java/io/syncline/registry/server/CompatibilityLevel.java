package io.syncline.registry.server;

import java.util.Locale;
import java.util.Optional;

/** The seven Confluent compatibility levels; the transitive ones check against every live version. */
enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    /** Confluent's default when neither the subject nor the registry has a level set. */
    static final CompatibilityLevel DEFAULT = BACKWARD;

    /** The new schema must read data written with the old one. */
    final boolean backward;
    /** Data written with the new schema must be readable with the old one. */
    final boolean forward;
    /** Check against all live versions rather than only the latest. */
    final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** Case-insensitive, as Confluent accepts {@code "full"} as well as {@code "FULL"}. */
    static Optional<CompatibilityLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

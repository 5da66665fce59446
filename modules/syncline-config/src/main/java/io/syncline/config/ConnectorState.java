package io.syncline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The state a declared connector should be in on the Connect cluster; {@code syncline apply} moves it there
 * (Connect's {@code PUT /connectors/<name>/pause}, {@code /resume}, {@code /stop}).
 */
public enum ConnectorState {

    /** Tasks run (Connect's default). */
    @JsonProperty("running")
    RUNNING,

    /** Tasks stay assigned but do no work; they resume where they stopped. */
    @JsonProperty("paused")
    PAUSED,

    /** No tasks at all (Connect 3.5+); the connector's config and offsets stay, e.g. while offsets are reset. */
    @JsonProperty("stopped")
    STOPPED;

    /** The name used in {@code syncline.yaml}. */
    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

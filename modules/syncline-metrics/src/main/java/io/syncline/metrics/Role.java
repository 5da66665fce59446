package io.syncline.metrics;

/** The processes that expose metrics; a metric name starts with {@code syncline_<role>_}. */
public enum Role {
    GATEWAY("gateway", "`syncline gateway`: `GET /metrics` on the gateway's port"),
    NORMALIZER("normalizer", "`syncline normalizer`: `GET /metrics` on `--metrics-port` (`normalizer.metrics-port`)"),
    REGISTRY("registry", "`syncline registry`: `GET /metrics` on the registry's port"),
    CONNECT("connect", "`syncline connect-worker` (or any Connect worker with the Syncline metrics reporter): "
            + "`GET /metrics` on `--metrics-port` (`syncline.metrics.port`)");

    private final String prefix;
    private final String endpoint;

    Role(String prefix, String endpoint) {
        this.prefix = prefix;
        this.endpoint = endpoint;
    }

    /** The name part after {@code syncline_}, e.g. {@code gateway}. */
    public String prefix() {
        return prefix;
    }

    /** Where a scraper finds this role's metrics, in Markdown. */
    public String endpoint() {
        return endpoint;
    }
}

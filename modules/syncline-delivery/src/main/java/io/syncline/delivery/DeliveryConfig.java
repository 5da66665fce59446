package io.syncline.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.syncline.connect.common.ConnectorValidation;
import io.syncline.connect.common.EnumValues;
import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.http.FailureRule;
import io.syncline.http.HttpMetricsListener;
import io.syncline.http.SynclineHttpClient;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The configuration keys every Syncline sink shares: the delivery keys declared here (lanes, buffering,
 * idempotency header, version cache, dead letters, drain) plus the outbound-HTTP vocabulary of
 * {@link OutboundHttpConfig} (allow-list, retries, rate limit, authentication), added to each sink's
 * {@link ConfigDef}, with the cross-field rules and the factory for the {@link SynclineHttpClient} they describe.
 */
public final class DeliveryConfig {

    public static final String GROUP_DELIVERY = "Delivery";

    public static final String LANES = "delivery.lanes";
    public static final String MAX_BUFFERED = "delivery.max.buffered.records";
    public static final String IDEMPOTENCY_HEADER = "delivery.idempotency.header";
    public static final String VERSION_CACHE_SIZE = "delivery.version.cache.size";
    public static final String PERMANENT_FAILURE = "delivery.permanent.failure";
    public static final String DRAIN_TIMEOUT_MS = "delivery.drain.timeout.ms";
    public static final String VALIDATE_LIVE = "delivery.validate.live";

    /** Connect's own keys the dead-letter policy depends on. */
    public static final String ERRORS_TOLERANCE = "errors.tolerance";
    public static final String ERRORS_DLQ_TOPIC = "errors.deadletterqueue.topic.name";

    /** What happens to a change the target rejects for good. */
    public enum PermanentFailure implements EnumValues.Described {
        /** To the connector's dead-letter topic through the errant record reporter; delivery goes on. */
        DLQ("writes it to the connector's dead-letter topic with the reason in syncline.error.* headers and goes on; "
                + "needs " + ERRORS_TOLERANCE + "=all and " + ERRORS_DLQ_TOPIC),
        /** The task fails with the target's answer; the record stays uncommitted. */
        FAIL("fails the task and leaves the change uncommitted");

        private final String description;

        PermanentFailure(String description) {
            this.description = description;
        }

        @Override
        public String description() {
            return description;
        }
    }

    /**
     * Defaults that differ between sinks.
     *
     * @param lanes requests in flight at once per task
     * @param outbound the outbound-HTTP defaults (rate limits, auth types)
     */
    public record Defaults(int lanes, OutboundHttpConfig.Defaults outbound) {
        /** A generic target: 8 lanes, no rate limit, every auth type. */
        public static final Defaults GENERIC = new Defaults(8, OutboundHttpConfig.Defaults.SINK);
    }

    private DeliveryConfig() {
    }

    /** Adds the delivery keys and the outbound-HTTP keys to {@code def}. */
    public static ConfigDef define(ConfigDef def, Defaults d) {
        defineDelivery(def, d);
        return OutboundHttpConfig.define(def, d.outbound());
    }

    /** Only the delivery keys (a sink's page lists them with its own keys; the outbound keys are in docs/http.md). */
    public static ConfigDef defineDelivery(ConfigDef def, Defaults d) {
        int order = 0;
        def.define(LANES, Type.INT, d.lanes(), ConfigDef.Range.between(1, 256), Importance.MEDIUM,
                "Requests in flight at once per task. This many lanes take changes from one queue, each sending one "
                        + "request at a time; a change is taken only while no lane holds a change of its ordering key, "
                        + "so changes of one key go out one at a time and in order, a key that is retrying holds up "
                        + "only itself, and the count may exceed the partition count.",
                GROUP_DELIVERY, ++order, Width.SHORT, "Lanes");
        def.define(MAX_BUFFERED, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Changes a task holds (queued or in flight) before it pauses consumption until half of them are done.",
                GROUP_DELIVERY, ++order, Width.SHORT, "Max buffered records");
        def.define(IDEMPOTENCY_HEADER, Type.STRING, "Idempotency-Key", Importance.MEDIUM,
                "Header carrying each change's idempotency key (its event id), so a retried or replayed write is not "
                        + "applied twice. Empty sends none; then an ambiguous failure (a reset after sending) is not "
                        + "retried but fails the task.",
                GROUP_DELIVERY, ++order, Width.MEDIUM, "Idempotency header");
        def.define(VERSION_CACHE_SIZE, Type.INT, 100_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Keys whose newest version (source updated-at) a task remembers to skip older versions arriving later "
                        + "(least recently used keys are forgotten first).",
                GROUP_DELIVERY, ++order, Width.SHORT, "Version cache size");
        def.define(PERMANENT_FAILURE, Type.STRING, EnumValues.name(PermanentFailure.DLQ),
                EnumValues.validator(PermanentFailure.class), Importance.HIGH,
                "What happens to a change the target rejects for good (a 4xx other than 408/409/425/429, or a "
                        + "record that cannot become a request): " + EnumValues.describe(PermanentFailure.class)
                        + ".",
                GROUP_DELIVERY, ++order, Width.SHORT, "On permanent failure");
        def.define(DRAIN_TIMEOUT_MS, Type.LONG, 5_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "When partitions are revoked, their requests in flight are aborted and their queued changes dropped, "
                        + "so the next owner (resuming from the committed offsets, same idempotency keys) is not "
                        + "overtaken; this bounds how long the task waits for its lanes to let go.",
                GROUP_DELIVERY, ++order, Width.SHORT, "Drain timeout (ms)");
        def.define(VALIDATE_LIVE, Type.BOOLEAN, true, Importance.LOW,
                "Whether validating the config (Connect's validate, syncline validate) also tries the target: one GET "
                        + "the sink describes on its page, with the configured credentials (an OAuth2 refresh token is "
                        + "never used for it), reporting an unreachable target, a refused address or rejected "
                        + "credentials on their keys. Turn it off for a target that answers that GET differently from "
                        + "its writes.",
                GROUP_DELIVERY, ++order, Width.SHORT, "Validate live");
        return def;
    }

    /**
     * Cross-field problems of the shared keys, by key: a dead-letter policy without a dead-letter topic, then the
     * outbound keys' ({@link OutboundHttpConfig#problems}: credentials for the auth type, targets the outbound policy
     * refuses).
     *
     * @param raw the connector config as given (Connect's own errors.* keys included)
     * @param targets the sink's fixed target URLs, each with the key it comes from
     */
    public static Map<String, List<String>> problems(AbstractConfig config, Map<String, String> raw,
                                                     Map<String, URI> targets) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        if (EnumValues.parse(PermanentFailure.class, config.getString(PERMANENT_FAILURE)) == PermanentFailure.DLQ) {
            String topic = raw.get(ERRORS_DLQ_TOPIC);
            if (topic == null || topic.isBlank()) {
                ConnectorValidation.add(problems, ERRORS_DLQ_TOPIC, ERRORS_DLQ_TOPIC + " is required when "
                        + PERMANENT_FAILURE + "=dlq: rejected changes go to the dead-letter topic (e.g. "
                        + "dlq.sink.<connector>); set it, or set " + PERMANENT_FAILURE + "=fail to fail the task "
                        + "instead");
            }
            String tolerance = raw.getOrDefault(ERRORS_TOLERANCE, "none");
            if (!"all".equalsIgnoreCase(tolerance.trim())) {
                ConnectorValidation.add(problems, ERRORS_TOLERANCE, ERRORS_TOLERANCE + " is '" + tolerance
                        + "' but must be 'all' when " + PERMANENT_FAILURE + "=dlq, or Connect fails the task instead "
                        + "of writing the dead letter");
            }
        }
        ConnectorValidation.addAll(problems, OutboundHttpConfig.problems(config, targets));
        return problems;
    }

    /** The HTTP client these keys describe; one per task. */
    public static SynclineHttpClient httpClient(AbstractConfig config, String name, DeliveryStats stats) {
        Duration retryTime = Duration.ofMillis(config.getLong(OutboundHttpConfig.RETRY_MAX_ELAPSED_MS));
        return OutboundHttpConfig.client(config, name)
                .maxConnectionsPerTarget(config.getInt(LANES) + 1)
                // A lane waits for its permit as long as it would wait for a retry: the limit is not a failure.
                .rateLimitWait(retryTime)
                .metricsListener(new HttpMetricsListener() {
                    @Override
                    public void retry(String target, FailureRule reason, Duration delay) {
                        stats.retry();
                    }

                    @Override
                    public void rateLimitWait(String target, Duration waited) {
                        stats.rateLimitWait(waited);
                    }
                })
                .build();
    }
}

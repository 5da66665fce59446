package io.syncline.connect.payments;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.syncline.connect.common.DeprecatedKeys;
import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.connect.common.RawSourceConverters;
import io.syncline.connect.common.source.BackfillStart;
import io.syncline.connect.common.source.PollingSourceConnector;
import io.syncline.connect.common.source.SourceConfigRules;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The payments connector's configuration, declared once: its own keys with type, default, validator, importance,
 * group and doc string, plus the outbound-HTTP vocabulary every connector shares ({@link OutboundHttpConfig}: the
 * Stripe key is {@code auth.bearer.token}, the allow-list {@code outbound.allow.list}, ...) with this connector's
 * defaults. {@code docs/connectors/payments.md} is generated from {@link #CONFIG_DEF}. The keys this connector used
 * before the shared vocabulary still load ({@link #DEPRECATED_KEYS}).
 *
 * <p>Static rules live here (types, ranges, the object enum, cross-field rules in {@link #crossFieldProblems});
 * live checks (does the URL answer, is the key accepted) are in {@link LiveValidation}.
 */
public final class PaymentsSourceConfig extends AbstractConfig {

    public static final String BASE_URL = "stripe.base.url";
    public static final String OBJECTS = "stripe.objects";
    public static final String BACKFILL_START = BackfillStart.KEY;
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String PAGE_SIZE = "page.size";
    public static final String TOPIC_PREFIX = "topic.prefix";

    /** The Stripe secret or restricted key: the shared bearer-token key. */
    public static final String API_KEY = OutboundHttpConfig.AUTH_BEARER_TOKEN;

    /** The keys this connector had before the shared outbound vocabulary: they still load, with a warning. */
    public static final String OLD_API_KEY = "stripe.api.key";
    public static final String OLD_ALLOWED_HOSTS = "http.allowed.hosts";
    public static final String OLD_ALLOW_PLAIN_HTTP = "http.allow.plain.http";
    public static final String OLD_RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String OLD_REQUEST_BUDGET = "request.budget.per.second";

    /** Internal, set by the connector in each task's config: the objects this task syncs. */
    static final String TASK_OBJECTS = PollingSourceConnector.TASK_OBJECTS;

    /** Converter keys the connector checks, with the classes that keep keys, values and headers as written. */
    public static final String KEY_CONVERTER = RawSourceConverters.KEY_CONVERTER;
    public static final String VALUE_CONVERTER = RawSourceConverters.VALUE_CONVERTER;
    public static final String HEADER_CONVERTER = RawSourceConverters.HEADER_CONVERTER;
    public static final String STRING_CONVERTER = RawSourceConverters.STRING_CONVERTER;
    public static final String BYTE_ARRAY_CONVERTER = RawSourceConverters.BYTE_ARRAY_CONVERTER;
    public static final String SIMPLE_HEADER_CONVERTER = RawSourceConverters.SIMPLE_HEADER_CONVERTER;

    public static final String DEFAULT_BASE_URL = "https://api.stripe.com";
    public static final String DEFAULT_TOPIC_PREFIX = "raw.stripe.";

    private static final String GROUP_API = "Stripe API";
    private static final String GROUP_SYNC = "Sync";

    /**
     * Stripe takes its secret key as a bearer token only; 6 attempts within 2 minutes per request (a source tries
     * again at its next poll anyway); 20 requests per second for the connector (Stripe allows 25 per second in test
     * mode and 100 in live mode per account, shared with everything else using the key).
     */
    static final OutboundHttpConfig.Defaults STRIPE = OutboundHttpConfig.Defaults.SINK
            .withAuth(EnumSet.of(OutboundHttpConfig.AuthType.BEARER), OutboundHttpConfig.AuthType.BEARER,
                    new ApiKeyValidator())
            .withRetries(6, 120_000L)
            .withRateLimit(20.0, 20, 0, 10_000L);

    /**
     * The old keys and what they became. {@code http.allow.plain.http=true} allowed plain http to the base URL's
     * host, which is what it becomes; {@code request.budget.per.second} also set the token bucket's burst to the
     * rate, which it keeps doing unless {@code rate.limit.burst} is set.
     */
    public static final DeprecatedKeys DEPRECATED_KEYS = DeprecatedKeys.of(
            DeprecatedKeys.Alias.renamed(OLD_API_KEY, OutboundHttpConfig.AUTH_BEARER_TOKEN),
            DeprecatedKeys.Alias.renamed(OLD_ALLOWED_HOSTS, OutboundHttpConfig.ALLOW_LIST),
            new DeprecatedKeys.Alias(OLD_ALLOW_PLAIN_HTTP, OutboundHttpConfig.ALLOW_PLAIN_HTTP,
                    (value, props) -> Map.of(OutboundHttpConfig.ALLOW_PLAIN_HTTP,
                            "true".equalsIgnoreCase(value.trim()) ? baseHostPort(props) : "")),
            DeprecatedKeys.Alias.renamed(OLD_RETRY_BACKOFF_MS, OutboundHttpConfig.RETRY_BACKOFF_INITIAL_MS),
            new DeprecatedKeys.Alias(OLD_REQUEST_BUDGET, OutboundHttpConfig.RATE_PER_SECOND,
                    (value, props) -> Map.of(OutboundHttpConfig.RATE_PER_SECOND, value,
                            OutboundHttpConfig.RATE_BURST, burstFor(value))));

    private static final SourceConfigRules.ObjectsValidator<StripeObject> OBJECTS_VALIDATOR =
            new SourceConfigRules.ObjectsValidator<>(StripeObject::fromApiName, StripeObject.allApiNames());

    public static final ConfigDef CONFIG_DEF = define(new ConfigDef());

    /** The connector's keys plus the internal keys the connector adds to each task's config. */
    static final ConfigDef TASK_CONFIG_DEF = define(new ConfigDef())
            .defineInternal(TASK_OBJECTS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH);

    private static ConfigDef define(ConfigDef def) {
        int api = 0;
        int sync = 0;
        def
                .define(BASE_URL, Type.STRING, DEFAULT_BASE_URL, new SourceConfigRules.BaseUrlValidator("an absolute https URL",
                                DEFAULT_BASE_URL, "give the key in " + API_KEY), Importance.HIGH,
                        "Base URL of the Stripe API (or of a Stripe-compatible API such as the Syncline payments "
                                + "sandbox); the connector appends /v1/... to it. Plain http:// needs its host in "
                                + OutboundHttpConfig.ALLOW_PLAIN_HTTP + ", and an internal address (loopback, private) "
                                + "must be listed in " + OutboundHttpConfig.ALLOW_LIST + ".",
                        GROUP_API, ++api, Width.LONG, "Base URL")
                .define(OBJECTS, Type.LIST, StripeObject.allApiNames(), OBJECTS_VALIDATOR, Importance.HIGH,
                        "The object types to sync, each to its own topic <" + TOPIC_PREFIX + "><object>. One task "
                                + "per object type, up to tasks.max (a task then syncs several types in turn).",
                        GROUP_API, ++api, Width.LONG, "Objects")
                .define(BACKFILL_START, Type.STRING, "all", new BackfillStart.Validator(), Importance.HIGH,
                        "What the first start copies before following events: 'all' (every object that exists), "
                                + "'none' (only changes from now on), or a date (2024-01-31, midnight UTC) or ISO-8601 "
                                + "instant (2024-01-31T08:00:00Z): objects created since then. Read once, on the "
                                + "first start (or when the offsets are reset).",
                        GROUP_SYNC, ++sync, Width.MEDIUM, "Backfill start")
                .define(POLL_INTERVAL_MS, Type.LONG, 5_000L, ConfigDef.Range.between(100, 3_600_000),
                        Importance.MEDIUM,
                        "How often to ask /v1/events for new events once caught up, in milliseconds. A backlog is "
                                + "read without waiting.",
                        GROUP_SYNC, ++sync, Width.SHORT, "Poll interval (ms)")
                .define(PAGE_SIZE, Type.INT, 100, ConfigDef.Range.between(1, 100), Importance.LOW,
                        "Objects per list request (Stripe's limit parameter, 1-100).",
                        GROUP_SYNC, ++sync, Width.SHORT, "Page size")
                .define(TOPIC_PREFIX, Type.STRING, DEFAULT_TOPIC_PREFIX, new SourceConfigRules.TopicPrefixValidator(
                                Arrays.stream(StripeObject.values()).mapToInt(o -> o.apiName().length()).max().orElse(0)), Importance.MEDIUM,
                        "Records of object type <object> go to the topic <prefix><object>, e.g. raw.stripe.charge.",
                        GROUP_SYNC, ++sync, Width.MEDIUM, "Topic prefix");
        return OutboundHttpConfig.define(def, STRIPE);
    }

    /** The connector's config; deprecated keys are read under their new names. */
    public PaymentsSourceConfig(Map<String, String> props) {
        this(CONFIG_DEF, props);
    }

    private PaymentsSourceConfig(ConfigDef def, Map<String, String> props) {
        // doLog=false: AbstractConfig would log every value at INFO on every task start.
        super(def, DEPRECATED_KEYS.resolve(props).props(), false);
        List<String> problems = crossFieldProblems(this).values().stream().flatMap(List::stream).toList();
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
    }

    /** A task's config: the connector's keys plus {@code task.objects} and the task's share of the rate limits. */
    static PaymentsSourceConfig forTask(Map<String, String> props) {
        return new PaymentsSourceConfig(TASK_CONFIG_DEF, props);
    }

    // ------------------------------------------------------------------ typed accessors

    /** The base URL without a trailing slash. */
    public String baseUrl() {
        return SourceConfigRules.trimBaseUrl(getString(BASE_URL));
    }

    public Password apiKey() {
        return getPassword(API_KEY);
    }

    /** The configured object types, in the order given, without duplicates. */
    public List<StripeObject> objects() {
        return parseObjects(getList(OBJECTS));
    }

    /** The object types of this task (task configs only). */
    List<StripeObject> taskObjects() {
        return parseObjects(getList(TASK_OBJECTS));
    }

    public BackfillStart backfillStart() {
        return BackfillStart.parse(getString(BACKFILL_START));
    }

    public Duration pollInterval() {
        return Duration.ofMillis(getLong(POLL_INTERVAL_MS));
    }

    public int pageSize() {
        return getInt(PAGE_SIZE);
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX);
    }

    /** The topic for records of {@code objectType} (Stripe's name, e.g. {@code charge}). */
    public String topic(String objectType) {
        return topicPrefix() + objectType;
    }

    // ------------------------------------------------------------------ rules across keys and converters

    /**
     * Problems that involve more than one key, by the key they are reported on; empty when there are none. Called
     * on an already parsed config, so every single key is valid by itself.
     */
    static Map<String, List<String>> crossFieldProblems(AbstractConfig c) {
        return SourceConfigRules.baseUrlProblems(c, BASE_URL);
    }

    /** host:port of the base URL in {@code props} (port 80 when none is given), or "" when it is not a URL. */
    static String baseHostPort(Map<String, String> props) {
        try {
            URI base = URI.create(props.getOrDefault(BASE_URL, DEFAULT_BASE_URL).trim());
            if (base.getHost() == null) {
                return "";
            }
            return base.getHost() + ":" + (base.getPort() < 0 ? 80 : base.getPort());
        } catch (IllegalArgumentException notAUrl) {
            return ""; // the base URL's own validator names the problem
        }
    }

    /** The burst request.budget.per.second implied: its rate, rounded up. */
    private static String burstFor(String rate) {
        try {
            return Integer.toString(Math.max(1, (int) Math.ceil(Double.parseDouble(rate.trim()))));
        } catch (NumberFormatException notANumber) {
            return "1"; // rate.limit.per.second's own validator names the problem
        }
    }

    /**
     * Problems with the converters in a connector config: records must keep the provider's JSON bytes, and keys and
     * headers their text, exactly as written. Keyed by the converter key.
     */
    static Map<String, String> converterProblems(Map<String, String> connectorConfig) {
        return RawSourceConverters.problems(connectorConfig, "Stripe", RawSourceConverters.Headers.SIMPLE_ONLY);
    }

    // ------------------------------------------------------------------ parsing and validators

    static List<StripeObject> parseObjects(List<String> names) {
        return SourceConfigRules.parseObjects(names, StripeObject::fromApiName,
                name -> OBJECTS_VALIDATOR.unknown(OBJECTS, name));
    }

    static BackfillStart parseBackfillStart(String value) {
        return BackfillStart.parse(value);
    }

    /** A Stripe secret or restricted key; the message never repeats the value. */
    static final class ApiKeyValidator implements ConfigDef.Validator {
        private static final Pattern KEY = Pattern.compile("(sk|rk)_[A-Za-z0-9_]+");

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return; // ConfigDef itself reports a missing required key
            }
            String v = value instanceof Password p ? p.value() : value.toString();
            if (v == null || v.isBlank()) {
                throw new ConfigException(name + ": no API key given; set it to a reference such as "
                        + "${env:STRIPE_API_KEY}");
            }
            if (!KEY.matcher(v).matches()) {
                throw new ConfigException(name + ": expected a Stripe secret key (sk_test_..., sk_live_...) or "
                        + "restricted key (rk_...); the value given is not one (it is not shown here)");
            }
        }

        @Override
        public String toString() {
            return "sk_... or rk_...";
        }
    }
}

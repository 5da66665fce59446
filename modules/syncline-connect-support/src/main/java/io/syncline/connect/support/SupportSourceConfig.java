package io.syncline.connect.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import io.syncline.connect.common.ConnectorValidation;
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

/**
 * The support source's configuration, declared once: its own keys with type, default, validator, importance, group
 * and doc string, plus the outbound-HTTP vocabulary every connector shares ({@link OutboundHttpConfig}) with Zendesk's
 * defaults: API-token authentication as HTTP basic ({@code <agent e-mail>/token} and the token) or an OAuth bearer
 * token, and a request window of 10 per minute, Zendesk's limit on the incremental exports.
 * {@code docs/connectors/support.md} is generated from {@link #CONFIG_DEF}.
 *
 * <p>Static rules live here; the live checks (does the desk answer, may these credentials export) are in
 * {@link SourceLiveValidation}.
 */
public final class SupportSourceConfig extends AbstractConfig {

    public static final String BASE_URL = "zendesk.url";
    public static final String OBJECTS = "zendesk.objects";
    public static final String BACKFILL_START = BackfillStart.KEY;
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String PAGE_SIZE = "page.size";
    public static final String TOPIC_PREFIX = "topic.prefix";

    /** Internal, set by the connector in each task's config: the objects this task copies. */
    static final String TASK_OBJECTS = PollingSourceConnector.TASK_OBJECTS;

    public static final String KEY_CONVERTER = RawSourceConverters.KEY_CONVERTER;
    public static final String VALUE_CONVERTER = RawSourceConverters.VALUE_CONVERTER;
    public static final String HEADER_CONVERTER = RawSourceConverters.HEADER_CONVERTER;
    public static final String STRING_CONVERTER = RawSourceConverters.STRING_CONVERTER;
    public static final String BYTE_ARRAY_CONVERTER = RawSourceConverters.BYTE_ARRAY_CONVERTER;
    public static final String SIMPLE_HEADER_CONVERTER = RawSourceConverters.SIMPLE_HEADER_CONVERTER;

    public static final String DEFAULT_TOPIC_PREFIX = "raw.zendesk.";

    private static final String GROUP_API = "Zendesk";
    private static final String GROUP_SYNC = "Sync";

    /**
     * Zendesk takes an API token as HTTP basic ({@code <agent e-mail>/token}, the token) or an OAuth access token as a
     * bearer token; the incremental exports allow 10 requests a minute per account (20 with the High Volume add-on),
     * so the connector's window is 10 per 60 s, paced evenly; 6 attempts within 2 minutes per request (a 429's
     * Retry-After on the exports can be most of a minute).
     */
    static final OutboundHttpConfig.Defaults ZENDESK = OutboundHttpConfig.Defaults.SINK
            .withAuth(EnumSet.of(OutboundHttpConfig.AuthType.BASIC, OutboundHttpConfig.AuthType.BEARER),
                    OutboundHttpConfig.AuthType.BASIC, null)
            .withRetries(6, 120_000L)
            .withRateLimit(0, 2, 10, 60_000L);

    private static final SourceConfigRules.ObjectsValidator<ZendeskObject> OBJECTS_VALIDATOR =
            new SourceConfigRules.ObjectsValidator<>(ZendeskObject::fromApiName, ZendeskObject.allApiNames());

    public static final ConfigDef CONFIG_DEF = define(new ConfigDef());

    /** The connector's keys plus the internal keys the connector adds to each task's config. */
    static final ConfigDef TASK_CONFIG_DEF = define(new ConfigDef())
            .defineInternal(TASK_OBJECTS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH);

    private static ConfigDef define(ConfigDef def) {
        int api = 0;
        int sync = 0;
        def
                .define(BASE_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new SourceConfigRules.BaseUrlValidator(
                                "the account's https URL", "https://acme.zendesk.com", "give them in the auth.* keys"),
                        Importance.HIGH,
                        "Base URL of the Zendesk account, https://<subdomain>.zendesk.com (or of a Zendesk-compatible "
                                + "API such as the Syncline support sandbox); the connector appends /api/v2/... to it. "
                                + "Plain http:// needs its host in " + OutboundHttpConfig.ALLOW_PLAIN_HTTP + ", and an "
                                + "internal address (loopback, private) must be listed in "
                                + OutboundHttpConfig.ALLOW_LIST + ".",
                        GROUP_API, ++api, Width.LONG, "Zendesk URL")
                .define(OBJECTS, Type.LIST, ZendeskObject.allApiNames(), OBJECTS_VALIDATOR, Importance.HIGH,
                        "The object types to copy, each to its own topic <" + TOPIC_PREFIX + "><object>: ticket and "
                                + "user through the cursor-based incremental exports, organization through the "
                                + "time-based one, ticket_comment through the time-based ticket events (each audit "
                                + "that added a comment, keyed by the comment's id). One task per object type, up to "
                                + "tasks.max.",
                        GROUP_API, ++api, Width.LONG, "Objects")
                .define(BACKFILL_START, Type.STRING, "all", new BackfillStart.Validator(), Importance.HIGH,
                        "Where the first start begins reading the exports: 'all' (everything the account holds), "
                                + "'none' (only changes from now on), or a date (2024-01-31, midnight UTC) or ISO-8601 "
                                + "instant (2024-01-31T08:00:00Z): changes since then. Read once, on the first start "
                                + "(or when the offsets are reset).",
                        GROUP_SYNC, ++sync, Width.MEDIUM, "Backfill start")
                .define(POLL_INTERVAL_MS, Type.LONG, 60_000L, ConfigDef.Range.between(1_000, 3_600_000),
                        Importance.MEDIUM,
                        "How often to read an export again once it reached its end, in milliseconds. Zendesk leaves "
                                + "the last minute's changes out of the exports and allows 10 export requests a "
                                + "minute, so polling much more often only spends that budget; webhooks through the "
                                + "gateway bring changes sooner. A backlog is read without waiting.",
                        GROUP_SYNC, ++sync, Width.SHORT, "Poll interval (ms)")
                .define(PAGE_SIZE, Type.INT, 1000, ConfigDef.Range.between(1, 1000), Importance.LOW,
                        "Items per page of the cursor-based exports (Zendesk's per_page, at most 1000). The "
                                + "time-based exports always page by 1000.",
                        GROUP_SYNC, ++sync, Width.SHORT, "Page size")
                .define(TOPIC_PREFIX, Type.STRING, DEFAULT_TOPIC_PREFIX, new SourceConfigRules.TopicPrefixValidator(
                                Arrays.stream(ZendeskObject.values()).mapToInt(o -> o.apiName().length()).max().orElse(0)), Importance.MEDIUM,
                        "Records of object type <object> go to the topic <prefix><object>, e.g. raw.zendesk.ticket.",
                        GROUP_SYNC, ++sync, Width.MEDIUM, "Topic prefix");
        return OutboundHttpConfig.define(def, ZENDESK);
    }

    public SupportSourceConfig(Map<String, String> props) {
        this(CONFIG_DEF, props);
    }

    private SupportSourceConfig(ConfigDef def, Map<String, String> props) {
        // doLog=false: AbstractConfig would log every value at INFO on every task start.
        super(def, props, false);
        List<String> problems = crossFieldProblems(this).values().stream().flatMap(List::stream).toList();
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
    }

    /** A task's config: the connector's keys plus {@code task.objects} and the task's share of the rate limits. */
    static SupportSourceConfig forTask(Map<String, String> props) {
        return new SupportSourceConfig(TASK_CONFIG_DEF, props);
    }

    // ------------------------------------------------------------------ typed accessors

    /** The base URL without a trailing slash. */
    public String baseUrl() {
        return SourceConfigRules.trimBaseUrl(getString(BASE_URL));
    }

    /** The configured object types, in the order given, without duplicates. */
    List<ZendeskObject> objects() {
        return parseObjects(getList(OBJECTS));
    }

    /** The object types of this task (task configs only). */
    List<ZendeskObject> taskObjects() {
        return parseObjects(getList(TASK_OBJECTS));
    }

    public BackfillStart backfillStart() {
        return parseBackfillStart(getString(BACKFILL_START));
    }

    public Duration pollInterval() {
        return Duration.ofMillis(getLong(POLL_INTERVAL_MS));
    }

    public int pageSize() {
        return getInt(PAGE_SIZE);
    }

    /** The topic for records of {@code object}. */
    String topic(ZendeskObject object) {
        return getString(TOPIC_PREFIX) + object.apiName();
    }

    /** The key a rejected credential is reported on: the API token (basic) or the bearer token. */
    String credentialKey() {
        return OutboundHttpConfig.credentialKey(this);
    }

    // ------------------------------------------------------------------ rules across keys and converters

    /** Problems that involve more than one key, by the key they are reported on; empty when there are none. */
    static Map<String, List<String>> crossFieldProblems(AbstractConfig c) {
        Map<String, List<String>> problems = SourceConfigRules.baseUrlProblems(c, BASE_URL);
        if (OutboundHttpConfig.authType(c) == OutboundHttpConfig.AuthType.BASIC) {
            String user = c.getString(OutboundHttpConfig.AUTH_BASIC_USERNAME);
            if (user != null && !user.isBlank() && !user.trim().endsWith("/token")) {
                ConnectorValidation.add(problems, OutboundHttpConfig.AUTH_BASIC_USERNAME,
                        OutboundHttpConfig.AUTH_BASIC_USERNAME + ": expected <agent e-mail>/token (Zendesk API-token "
                                + "access, e.g. admin@example.com/token, with the token in "
                                + OutboundHttpConfig.AUTH_BASIC_PASSWORD + "), got '" + user.trim() + "'; Zendesk no "
                                + "longer accepts passwords over the API");
            }
        }
        return problems;
    }

    /**
     * Problems with the converters in a connector config: records must keep the provider's JSON bytes, and keys and
     * headers their text, exactly as written. Keyed by the converter key.
     */
    static Map<String, String> converterProblems(Map<String, String> connectorConfig) {
        return RawSourceConverters.problems(connectorConfig, "Zendesk");
    }

    // ------------------------------------------------------------------ parsing and validators

    static List<ZendeskObject> parseObjects(List<String> names) {
        return SourceConfigRules.parseObjects(names, ZendeskObject::fromApiName,
                name -> OBJECTS_VALIDATOR.unknown(OBJECTS, name));
    }

    static BackfillStart parseBackfillStart(String value) {
        return BackfillStart.parse(value);
    }
}

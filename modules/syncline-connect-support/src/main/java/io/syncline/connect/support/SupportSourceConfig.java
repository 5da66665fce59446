package io.syncline.connect.support;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.syncline.connect.common.ConnectorValidation;
import io.syncline.connect.common.OutboundHttpConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;

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
    public static final String BACKFILL_START = "backfill.start";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String PAGE_SIZE = "page.size";
    public static final String TOPIC_PREFIX = "topic.prefix";

    /** Internal, set by the connector in each task's config: the objects this task copies. */
    static final String TASK_OBJECTS = io.syncline.connect.common.source.PollingSourceConnector.TASK_OBJECTS;

    public static final String KEY_CONVERTER = "key.converter";
    public static final String VALUE_CONVERTER = "value.converter";
    public static final String HEADER_CONVERTER = "header.converter";
    public static final String STRING_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";
    public static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";
    public static final String SIMPLE_HEADER_CONVERTER = "org.apache.kafka.connect.storage.SimpleHeaderConverter";

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

    /** What {@link #BACKFILL_START} means once parsed. */
    public sealed interface BackfillStart {
        /** Everything the exports hold. */
        record All() implements BackfillStart {
        }

        /** Only changes from the connector's first start. */
        record None() implements BackfillStart {
        }

        /** Changes at or after {@code from}. */
        record Since(Instant from) implements BackfillStart {
        }
    }

    public static final ConfigDef CONFIG_DEF = define(new ConfigDef());

    /** The connector's keys plus the internal keys the connector adds to each task's config. */
    static final ConfigDef TASK_CONFIG_DEF = define(new ConfigDef())
            .defineInternal(TASK_OBJECTS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH);

    private static ConfigDef define(ConfigDef def) {
        int api = 0;
        int sync = 0;
        def
                .define(BASE_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new BaseUrlValidator(), Importance.HIGH,
                        "Base URL of the Zendesk account, https://<subdomain>.zendesk.com (or of a Zendesk-compatible "
                                + "API such as the Syncline support sandbox); the connector appends /api/v2/... to it. "
                                + "Plain http:// needs its host in " + OutboundHttpConfig.ALLOW_PLAIN_HTTP + ", and an "
                                + "internal address (loopback, private) must be listed in "
                                + OutboundHttpConfig.ALLOW_LIST + ".",
                        GROUP_API, ++api, Width.LONG, "Zendesk URL")
                .define(OBJECTS, Type.LIST, ZendeskObject.allApiNames(), new ObjectsValidator(), Importance.HIGH,
                        "The object types to copy, each to its own topic <" + TOPIC_PREFIX + "><object>: ticket and "
                                + "user through the cursor-based incremental exports, organization through the "
                                + "time-based one, ticket_comment through the time-based ticket events (each audit "
                                + "that added a comment, keyed by the comment's id). One task per object type, up to "
                                + "tasks.max.",
                        GROUP_API, ++api, Width.LONG, "Objects")
                .define(BACKFILL_START, Type.STRING, "all", new BackfillStartValidator(), Importance.HIGH,
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
                .define(TOPIC_PREFIX, Type.STRING, DEFAULT_TOPIC_PREFIX, new TopicPrefixValidator(), Importance.MEDIUM,
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
        String url = getString(BASE_URL).trim();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return url;
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
        Map<String, List<String>> problems = new LinkedHashMap<>();
        URI base = URI.create(c.getString(BASE_URL).trim());
        ConnectorValidation.addAll(problems, OutboundHttpConfig.problems(c, Map.of(BASE_URL, base)));
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
        Map<String, String> problems = new LinkedHashMap<>();
        requireConverter(problems, connectorConfig, VALUE_CONVERTER, BYTE_ARRAY_CONVERTER, true,
                "so each record holds the Zendesk JSON exactly as received");
        requireConverter(problems, connectorConfig, KEY_CONVERTER, STRING_CONVERTER, true,
                "so each key is the Zendesk object id as plain text");
        String header = connectorConfig.get(HEADER_CONVERTER);
        if (header != null && !header.isBlank() && !header.trim().equals(SIMPLE_HEADER_CONVERTER)
                && !header.trim().equals(STRING_CONVERTER)) {
            problems.put(HEADER_CONVERTER, HEADER_CONVERTER + ": expected " + SIMPLE_HEADER_CONVERTER + " or "
                    + STRING_CONVERTER + " so the syncline.* headers stay plain text, got " + header.trim());
        }
        return problems;
    }

    private static void requireConverter(Map<String, String> problems, Map<String, String> config, String key,
                                         String expected, boolean required, String why) {
        String given = config.get(key);
        if (given == null || given.isBlank()) {
            if (required) {
                problems.put(key, key + ": set it to " + expected + " " + why + " (the worker's default converter "
                        + "may re-encode it)");
            }
            return;
        }
        if (!given.trim().equals(expected)) {
            problems.put(key, key + ": expected " + expected + " " + why + ", got " + given.trim());
        }
    }

    /** Adds {@code message} to the {@link ConfigValue} named {@code key}, creating it when the def lacks the key. */
    static void report(Map<String, ConfigValue> values, String key, String message) {
        values.computeIfAbsent(key, ConfigValue::new).addErrorMessage(message);
    }

    // ------------------------------------------------------------------ parsing and validators

    static List<ZendeskObject> parseObjects(List<String> names) {
        List<ZendeskObject> out = new ArrayList<>();
        for (String name : names) {
            ZendeskObject o = ZendeskObject.fromApiName(name)
                    .orElseThrow(() -> new ConfigException(ObjectsValidator.unknown(name)));
            if (!out.contains(o)) {
                out.add(o);
            }
        }
        return List.copyOf(out);
    }

    static BackfillStart parseBackfillStart(String value) {
        String v = value == null ? "" : value.trim();
        if (v.equalsIgnoreCase("all")) {
            return new BackfillStart.All();
        }
        if (v.equalsIgnoreCase("none")) {
            return new BackfillStart.None();
        }
        try {
            return new BackfillStart.Since(LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException notADate) {
            try {
                return new BackfillStart.Since(Instant.parse(v));
            } catch (DateTimeParseException notAnInstant) {
                throw new ConfigException(BACKFILL_START + ": expected all, none, a date (2024-01-31) or an ISO-8601 "
                        + "instant (2024-01-31T08:00:00Z), got '" + v + "'");
            }
        }
    }

    /** An absolute http(s) URL with a host and nothing after the path. */
    static final class BaseUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String v = value == null ? "" : value.toString().trim();
            String expected = name + ": expected the account's https URL such as https://acme.zendesk.com, got '"
                    + v + "'";
            URI uri;
            try {
                uri = new URI(v);
            } catch (java.net.URISyntaxException e) {
                throw new ConfigException(expected);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new ConfigException(expected);
            }
            if (uri.getRawUserInfo() != null) {
                throw new ConfigException(name + ": the URL must not carry credentials; give them in the auth.* keys");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new ConfigException(name + ": expected a base URL without query or fragment, such as "
                        + "https://acme.zendesk.com, got '" + v + "'");
            }
        }

        @Override
        public String toString() {
            return "absolute https URL (http with its host in " + OutboundHttpConfig.ALLOW_PLAIN_HTTP + ")";
        }
    }

    /** A non-empty list of supported object types. */
    static final class ObjectsValidator implements ConfigDef.Validator {
        static String unknown(String name) {
            return OBJECTS + ": unknown object type '" + name.trim() + "'; expected one or more of "
                    + ZendeskObject.allApiNames().replace(",", ", ");
        }

        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> names = value == null ? List.of() : (List<String>) value;
            if (names.stream().allMatch(String::isBlank)) {
                throw new ConfigException(name + ": no object type given; expected one or more of "
                        + ZendeskObject.allApiNames().replace(",", ", "));
            }
            Set<String> seen = new HashSet<>();
            for (String n : names) {
                if (ZendeskObject.fromApiName(n).isEmpty()) {
                    throw new ConfigException(unknown(n));
                }
                if (!seen.add(n.trim().toLowerCase(Locale.ROOT))) {
                    throw new ConfigException(name + ": object type '" + n.trim() + "' is listed twice");
                }
            }
        }

        @Override
        public String toString() {
            return ZendeskObject.allApiNames().replace(",", ", ") + " (one or more)";
        }
    }

    /** all, none, a date or an instant. */
    static final class BackfillStartValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            parseBackfillStart(value == null ? null : value.toString());
        }

        @Override
        public String toString() {
            return "all, none, a date (2024-01-31) or an ISO-8601 instant";
        }
    }

    /** Legal topic characters, short enough for the longest object name. */
    static final class TopicPrefixValidator implements ConfigDef.Validator {
        private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]*");

        @Override
        public void ensureValid(String name, Object value) {
            String v = value == null ? "" : value.toString();
            int longest = java.util.Arrays.stream(ZendeskObject.values()).mapToInt(o -> o.apiName().length()).max()
                    .orElse(0);
            if (!LEGAL.matcher(v).matches()) {
                throw new ConfigException(name + ": '" + v + "' has characters a topic name cannot hold; use only "
                        + "letters, digits, '.', '_' and '-'");
            }
            if (v.length() + longest > 249) {
                throw new ConfigException(name + ": '" + v + "' is too long: topic names are limited to 249 "
                        + "characters");
            }
        }

        @Override
        public String toString() {
            return "letters, digits, '.', '_', '-'";
        }
    }
}

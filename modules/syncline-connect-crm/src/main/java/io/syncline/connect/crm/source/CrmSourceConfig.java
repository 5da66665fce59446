package io.syncline.connect.crm.source;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.syncline.connect.common.ConnectorValidation;
import io.syncline.connect.common.OutboundHttpConfig;
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
 * The CRM source's configuration, declared once: its own keys with type, default, validator, importance, group and
 * doc string, plus the outbound-HTTP vocabulary every connector shares ({@link OutboundHttpConfig}: a private-app
 * token is {@code auth.bearer.token}, OAuth2 the {@code oauth2.*} keys) with this connector's defaults. The CRM
 * source section of {@code docs/connectors/crm.md} is generated from {@link #CONFIG_DEF}.
 *
 * <p>Static rules live here; live checks (does the URL answer, is the token accepted, may it read each object type)
 * are in {@link LiveValidation}.
 */
public final class CrmSourceConfig extends AbstractConfig {

    public static final String BASE_URL = "crm.url";
    public static final String OBJECTS = "crm.objects";
    public static final String BACKFILL = "backfill.start";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String ARCHIVED_POLL_INTERVAL_MS = "archived.poll.interval.ms";
    public static final String SEARCH_LAG_MS = "search.lag.ms";
    public static final String PAGE_SIZE = "page.size";
    public static final String SEARCH_PAGE_SIZE = "search.page.size";
    public static final String SEARCH_RATE_PER_SECOND = "search.rate.limit.per.second";
    public static final String TOPIC_PREFIX = "topic.prefix";

    /** Internal, set by the connector in each task's config: the object types this task reads. */
    static final String TASK_OBJECTS = PollingSourceConnector.TASK_OBJECTS;

    public static final String DEFAULT_BASE_URL = "https://api.hubapi.com";
    public static final String DEFAULT_TOPIC_PREFIX = "raw.hubspot.";

    private static final String GROUP_HUBSPOT = "HubSpot";
    private static final String GROUP_SYNC = "Sync";
    private static final Pattern PROPERTY_NAME = Pattern.compile("[a-z0-9_]+");

    /**
     * A private-app token (bearer) or OAuth2; 6 attempts within 2 minutes per request (a source tries again at its
     * next poll anyway); HubSpot's burst limit, 100 requests per rolling 10 s per account, kept a little under and
     * shared with every other connector of this plugin on the same account in the worker (the CRM contact sink).
     */
    static final OutboundHttpConfig.Defaults HUBSPOT = OutboundHttpConfig.Defaults.SINK
            .withAuth(EnumSet.of(OutboundHttpConfig.AuthType.BEARER, OutboundHttpConfig.AuthType.OAUTH2),
                    OutboundHttpConfig.AuthType.BEARER, null)
            .withRetries(6, 120_000L)
            .withRateLimit(0, 10, 90, 10_000L);

    private static final SourceConfigRules.ObjectsValidator<CrmObjectType> OBJECTS_VALIDATOR =
            new SourceConfigRules.ObjectsValidator<>(CrmObjectType::named, CrmObjectType.allNames());

    public static final ConfigDef CONFIG_DEF = define(new ConfigDef());

    /** The connector's keys plus the internal keys the connector adds to each task's config. */
    static final ConfigDef TASK_CONFIG_DEF = define(new ConfigDef())
            .defineInternal(TASK_OBJECTS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH);

    /** {@code crm.<type>.properties}. */
    public static String propertiesKey(CrmObjectType type) {
        return "crm." + type.singular() + ".properties";
    }

    /** {@code crm.<type>.associations}. */
    public static String associationsKey(CrmObjectType type) {
        return "crm." + type.singular() + ".associations";
    }

    private static ConfigDef define(ConfigDef def) {
        int hubspot = 0;
        int sync = 0;
        def.define(BASE_URL, Type.STRING, DEFAULT_BASE_URL, new SourceConfigRules.BaseUrlValidator("an absolute https URL",
                        DEFAULT_BASE_URL, "give the token in " + OutboundHttpConfig.AUTH_BEARER_TOKEN),
                Importance.HIGH,
                "Base URL of the HubSpot API (or of a HubSpot-compatible API such as the Syncline CRM sandbox); the "
                        + "connector appends /crm/v3/... and /crm/v4/... to it. Plain http:// needs its host in "
                        + OutboundHttpConfig.ALLOW_PLAIN_HTTP + ", and an internal address (loopback, private) must "
                        + "be listed in " + OutboundHttpConfig.ALLOW_LIST + ".",
                GROUP_HUBSPOT, ++hubspot, Width.LONG, "Base URL");
        def.define(OBJECTS, Type.LIST, CrmObjectType.allNames(), OBJECTS_VALIDATOR, Importance.HIGH,
                "The object types to read, each to its own topic <" + TOPIC_PREFIX + "><type>. One task per type, "
                        + "up to tasks.max (a task then reads several types in turn).",
                GROUP_HUBSPOT, ++hubspot, Width.LONG, "Object types");
        for (CrmObjectType type : CrmObjectType.values()) {
            def.define(propertiesKey(type), Type.LIST, String.join(",", type.defaultProperties()),
                    new PropertiesValidator(), Importance.MEDIUM,
                    "The " + type.singular() + " properties to read (HubSpot returns only those asked for): the "
                            + "default is what mappings/hubspot/" + type.singular() + ".yaml maps; add your custom "
                            + "properties. " + String.join(" and ", CrmObjectType.BOOKKEEPING) + " are always read.",
                    GROUP_HUBSPOT, ++hubspot, Width.LONG, "Properties of " + type.path());
            def.define(associationsKey(type), Type.LIST, String.join(",", type.defaultAssociations()),
                    new AssociationsValidator(type), Importance.MEDIUM,
                    "The associated object types whose ids each " + type.singular() + " record carries under "
                            + "associations/<type>/results (an empty list reads none).",
                    GROUP_HUBSPOT, ++hubspot, Width.MEDIUM, "Associations of " + type.path());
        }
        def.define(BACKFILL, Type.STRING, "all", ConfigDef.ValidString.in("all", "none"), Importance.HIGH,
                "What the first start copies before following changes: 'all' (every object that exists, by list "
                        + "paging) or 'none' (only changes from now on). Read once, on the first start (or when the "
                        + "offsets are reset).",
                GROUP_SYNC, ++sync, Width.SHORT, "Backfill");
        def.define(POLL_INTERVAL_MS, Type.LONG, 5_000L, ConfigDef.Range.between(100, 3_600_000), Importance.MEDIUM,
                "How often to search for changed objects once caught up, in milliseconds. A backlog is read "
                        + "without waiting.",
                GROUP_SYNC, ++sync, Width.SHORT, "Poll interval (ms)");
        def.define(ARCHIVED_POLL_INTERVAL_MS, Type.LONG, 60_000L, ConfigDef.Range.between(500, 86_400_000),
                Importance.MEDIUM,
                "How often to list archived objects for deletions, in milliseconds (search does not show archived "
                        + "objects). Each pass lists them all and writes those archived since the last pass.",
                GROUP_SYNC, ++sync, Width.SHORT, "Archived poll interval (ms)");
        def.define(SEARCH_LAG_MS, Type.LONG, 5_000L, ConfigDef.Range.between(0, 600_000), Importance.LOW,
                "How far behind the server's clock the incremental reading stays, in milliseconds: a change is "
                        + "read once its last-modified time is this old, because HubSpot's search index shows a "
                        + "change a moment after it is made, and a change indexed after a later one was read would "
                        + "otherwise be missed.",
                GROUP_SYNC, ++sync, Width.SHORT, "Search lag (ms)");
        def.define(PAGE_SIZE, Type.INT, 100, ConfigDef.Range.between(1, 100), Importance.LOW,
                "Objects per list request (backfill and archived objects; HubSpot allows 1-100).",
                GROUP_SYNC, ++sync, Width.SHORT, "Page size");
        def.define(SEARCH_PAGE_SIZE, Type.INT, 200, ConfigDef.Range.between(1, 200), Importance.LOW,
                "Objects per search request (HubSpot allows 1-200).",
                GROUP_SYNC, ++sync, Width.SHORT, "Search page size");
        def.define(SEARCH_RATE_PER_SECOND, Type.DOUBLE, 4.0, ConfigDef.Range.between(0.01, 100), Importance.LOW,
                "Search requests per second for the account: HubSpot limits search separately, to about 5 per "
                        + "second per account, below the rest of the API. Shared by every task of this plugin in "
                        + "the worker that searches the same account.",
                GROUP_SYNC, ++sync, Width.SHORT, "Searches per second");
        def.define(TOPIC_PREFIX, Type.STRING, DEFAULT_TOPIC_PREFIX, new SourceConfigRules.TopicPrefixValidator(
                Arrays.stream(CrmObjectType.values()).mapToInt(t -> t.singular().length()).max().orElse(0)), Importance.MEDIUM,
                "Records of object type <type> go to the topic <prefix><type>, e.g. raw.hubspot.contact.",
                GROUP_SYNC, ++sync, Width.MEDIUM, "Topic prefix");
        return OutboundHttpConfig.define(def, HUBSPOT);
    }

    private final Map<CrmObjectType, List<String>> properties = new EnumMap<>(CrmObjectType.class);
    private final Map<CrmObjectType, List<CrmObjectType>> associations = new EnumMap<>(CrmObjectType.class);

    public CrmSourceConfig(Map<String, String> props) {
        this(CONFIG_DEF, props);
    }

    private CrmSourceConfig(ConfigDef def, Map<String, String> props) {
        // doLog=false: AbstractConfig would log every value at INFO on every task start.
        super(def, props, false);
        Map<String, List<String>> problems = crossFieldProblems(this);
        if (!problems.isEmpty()) {
            throw ConnectorValidation.invalid(problems);
        }
        for (CrmObjectType type : CrmObjectType.values()) {
            Set<String> names = new LinkedHashSet<>(getList(propertiesKey(type)));
            names.addAll(CrmObjectType.BOOKKEEPING);
            names.add(type.modifiedProperty());
            properties.put(type, List.copyOf(names));
            associations.put(type, getList(associationsKey(type)).stream().filter(n -> !n.isBlank())
                    .map(n -> CrmObjectType.named(n).orElseThrow()).distinct().toList());
        }
    }

    /** A task's config: the connector's keys plus {@code task.objects} and the task's share of the rate limits. */
    static CrmSourceConfig forTask(Map<String, String> props) {
        return new CrmSourceConfig(TASK_CONFIG_DEF, props);
    }

    // ------------------------------------------------------------------ typed accessors

    /** The base URL without a trailing slash. */
    public String baseUrl() {
        return SourceConfigRules.trimBaseUrl(getString(BASE_URL));
    }

    /** The configured object types, in the order given, without duplicates. */
    public List<CrmObjectType> objects() {
        return parseObjects(getList(OBJECTS));
    }

    /** The object types of this task (task configs only). */
    List<CrmObjectType> taskObjects() {
        return parseObjects(getList(TASK_OBJECTS));
    }

    /** The properties to read of {@code type}: the configured ones and the ones the source needs. */
    public List<String> properties(CrmObjectType type) {
        return properties.get(type);
    }

    /** The association types to read with {@code type}. */
    public List<CrmObjectType> associations(CrmObjectType type) {
        return associations.get(type);
    }

    public boolean backfillAll() {
        return "all".equals(getString(BACKFILL));
    }

    public Duration pollInterval() {
        return Duration.ofMillis(getLong(POLL_INTERVAL_MS));
    }

    public Duration archivedPollInterval() {
        return Duration.ofMillis(getLong(ARCHIVED_POLL_INTERVAL_MS));
    }

    public Duration searchLag() {
        return Duration.ofMillis(getLong(SEARCH_LAG_MS));
    }

    public int pageSize() {
        return getInt(PAGE_SIZE);
    }

    public int searchPageSize() {
        return getInt(SEARCH_PAGE_SIZE);
    }

    public double searchRatePerSecond() {
        return getDouble(SEARCH_RATE_PER_SECOND);
    }

    /** The topic for records of {@code type}, e.g. {@code raw.hubspot.contact}. */
    public String topic(CrmObjectType type) {
        return getString(TOPIC_PREFIX) + type.singular();
    }

    /** The key that holds the credential HubSpot judges (the token, or the OAuth2 refresh token or client secret). */
    public String credentialKey() {
        return OutboundHttpConfig.credentialKey(this);
    }

    /** The configured secret behind {@link #credentialKey()}, for tests that must not find it in messages. */
    Password credential() {
        return getPassword(credentialKey());
    }

    // ------------------------------------------------------------------ rules across keys

    /**
     * Problems that involve more than one key, by the key they are reported on; empty when there are none. Called
     * on an already parsed config, so every single key is valid by itself.
     */
    static Map<String, List<String>> crossFieldProblems(AbstractConfig c) {
        return SourceConfigRules.baseUrlProblems(c, BASE_URL);
    }

    static List<CrmObjectType> parseObjects(List<String> names) {
        return SourceConfigRules.parseObjects(names, CrmObjectType::named,
                name -> OBJECTS_VALIDATOR.unknown(OBJECTS, name));
    }

    // ------------------------------------------------------------------ validators

    /** HubSpot property names: lower-case letters, digits and underscores. */
    static final class PropertiesValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> names = value == null ? List.of() : (List<String>) value;
            for (String n : names) {
                if (!PROPERTY_NAME.matcher(n.trim()).matches()) {
                    throw new ConfigException(name + ": '" + n.trim() + "' is not a HubSpot property name "
                            + "(lower-case letters, digits and underscores, as in hs_lead_status)");
                }
            }
        }

        @Override
        public String toString() {
            return "HubSpot property names";
        }
    }

    /** Other object types (a type has no associations with itself here). */
    static final class AssociationsValidator implements ConfigDef.Validator {
        private final CrmObjectType from;

        AssociationsValidator(CrmObjectType from) {
            this.from = from;
        }

        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> names = value == null ? List.of() : (List<String>) value;
            for (String n : names) {
                if (n.isBlank()) {
                    continue;
                }
                CrmObjectType to = CrmObjectType.named(n).orElse(null);
                if (to == null || to == from) {
                    throw new ConfigException(name + ": '" + n.trim() + "' is not an object type " + from.path()
                            + " can be associated with here; expected " + valid());
                }
            }
        }

        private String valid() {
            return String.join(", ", java.util.Arrays.stream(CrmObjectType.values()).filter(t -> t != from)
                    .map(CrmObjectType::path).toList());
        }

        @Override
        public String toString() {
            return valid() + " (zero or more)";
        }
    }
}

package io.syncline.connect.http;

import java.net.URI;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.syncline.connect.common.ConnectorValidation;
import io.syncline.connect.common.EnumValues;
import io.syncline.delivery.DeliveryConfig;
import io.syncline.delivery.mapping.RecordView;
import io.syncline.delivery.mapping.SinkMappings;
import io.syncline.delivery.mapping.UrlTemplate;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of the generic {@link HttpSinkConnector}: how a canonical record becomes a request (method, URL
 * template, JSON body mapping, headers), ordering and idempotency fields, batching, plus the shared delivery keys of
 * {@link DeliveryConfig}. Declared once in {@link #configDef()}; docs/connectors/http-sink.md is generated from it.
 */
public final class HttpSinkConfig extends AbstractConfig {

    public static final String GROUP_REQUEST = "Request";
    public static final String GROUP_BODY = "Body";
    public static final String GROUP_ORDERING = "Ordering and idempotency";
    public static final String GROUP_BATCHING = "Batching";

    public static final String URL = "http.url";
    public static final String METHOD = "http.method";
    public static final String HEADERS = "http.headers.additional";
    public static final String ACCEPT_STATUSES = "http.accept.status.codes";
    public static final String DELETE_METHOD = "http.delete.method";
    public static final String DELETE_URL = "http.delete.url";

    public static final String BODY_MAPPING = "body.mapping";
    public static final String BODY_NULLS = "body.null.values";

    public static final String ORDERING_KEY = "delivery.ordering.key";
    public static final String VERSION_FIELD = "delivery.version.field";
    public static final String IDEMPOTENCY_KEY_FIELD = "delivery.idempotency.key.field";

    public static final String BATCH_MAX_RECORDS = "batch.max.records";
    public static final String BATCH_MAX_BYTES = "batch.max.bytes";
    public static final String BATCH_MAX_WAIT_MS = "batch.max.wait.ms";
    public static final String BATCH_WRAPPER = "batch.wrapper.field";
    public static final String BATCH_CORRELATION_FIELD = "batch.item.correlation.field";
    public static final String BATCH_RESULTS_FIELD = "batch.response.results.field";
    public static final String BATCH_ERRORS_FIELD = "batch.response.errors.field";

    /** HTTP methods the sink sends changes with (written in upper case, as HTTP does; any case is accepted). */
    public enum Method {
        POST, PUT, PATCH, DELETE;

        static String[] names() {
            return java.util.Arrays.stream(values()).map(Enum::name).toArray(String[]::new);
        }
    }

    /** What a null value in the mapped body becomes. */
    public enum NullValues implements EnumValues.Described {
        /** Left out of the JSON object. */
        OMIT("left out of the JSON object"),
        /** Sent as JSON null. */
        INCLUDE("sent as JSON null");

        private final String description;

        NullValues(String description) {
            this.description = description;
        }

        @Override
        public String description() {
            return description;
        }
    }

    private static final ConfigDef CONFIG_DEF = build();

    /** What the sink reads of every record to tell an upsert from a delete. */
    static final String OPERATION = "/metadata/operation";

    private final Mappings mappings;
    private final List<Map.Entry<String, String>> headers;
    private final int[] acceptStatuses;

    public HttpSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props, false);
        Map<String, List<String>> problems = new LinkedHashMap<>();
        this.mappings = Mappings.compile(this, problems);
        this.headers = headers(this, problems);
        this.acceptStatuses = statuses(this, problems);
        crossField(this, mappings.url, props, problems);
        if (!problems.isEmpty()) {
            throw ConnectorValidation.invalid(problems);
        }
    }

    /** Everything of a record the sink reads, compiled once with the mapping language over the record's JSON view. */
    private record Mappings(SinkMappings compiled, UrlTemplate url, UrlTemplate deleteUrl, SinkMappings.Body body,
            SinkMappings.Value orderingKey, SinkMappings.Value version, SinkMappings.Value idempotencyKey,
            SinkMappings.Value operation) {

        static Mappings compile(AbstractConfig c, Map<String, List<String>> problems) {
            SinkMappings m = new SinkMappings(problems);
            UrlTemplate url = m.template(URL, c.getString(URL));
            String delete = c.getString(DELETE_URL);
            UrlTemplate deleteUrl = delete == null || delete.isBlank() ? url : m.template(DELETE_URL, delete);
            boolean omitNulls = EnumValues.parse(NullValues.class, c.getString(BODY_NULLS)) == NullValues.OMIT;
            SinkMappings.Body body = m.object(BODY_MAPPING, c.getString(BODY_MAPPING), omitNulls, true);
            return new Mappings(m, url, deleteUrl, body, m.value(ORDERING_KEY, c.getString(ORDERING_KEY)),
                    m.value(VERSION_FIELD, c.getString(VERSION_FIELD)),
                    m.value(IDEMPOTENCY_KEY_FIELD, c.getString(IDEMPOTENCY_KEY_FIELD)), m.fixed(OPERATION));
        }
    }

    /** The definition of every key. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    private static ConfigDef build() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                "Target URL; {path} placeholders in the path and query take values from the record "
                        + "(e.g. https://api.example.com/v1/customers/{/metadata/source_id}; a JSON Pointer, "
                        + "$record/key or $header/<name>; the old {metadata.source_id} is still read), "
                        + "percent-encoded as one segment each. The scheme, host and port are fixed (checked by the "
                        + "outbound allow-list). With batching, the batch endpoint, without placeholders.",
                GROUP_REQUEST, ++order, Width.LONG, "URL");
        def.define(METHOD, Type.STRING, "POST", ConfigDef.CaseInsensitiveValidString.in(Method.names()),
                Importance.HIGH,
                "HTTP method for upserts.", GROUP_REQUEST, ++order, Width.SHORT, "Method");
        def.define(HEADERS, Type.LIST, "", Importance.MEDIUM,
                "Extra headers as Name:value, comma-separated (e.g. X-Source:syncline). Not for secrets: use the "
                        + "auth.* keys, which are masked.",
                GROUP_REQUEST, ++order, Width.LONG, "Extra headers");
        def.define(ACCEPT_STATUSES, Type.LIST, "", Importance.LOW,
                "Non-2xx statuses that count as delivered, e.g. 404 for deleting something already gone, 409 for "
                        + "creating something that exists.",
                GROUP_REQUEST, ++order, Width.SHORT, "Accepted statuses");
        def.define(DELETE_METHOD, Type.STRING, "", Importance.MEDIUM,
                "Method for canonical DELETE changes (metadata.operation=DELETE): one of "
                        + String.join(", ", Method.names()) + ", or empty to skip them (counted as skipped 'delete'). "
                        + "Sent without a body.",
                GROUP_REQUEST, ++order, Width.SHORT, "Delete method");
        def.define(DELETE_URL, Type.STRING, "", Importance.LOW,
                "URL template for DELETE changes; empty uses " + URL + ".",
                GROUP_REQUEST, ++order, Width.LONG, "Delete URL");

        order = 0;
        def.define(BODY_MAPPING, Type.STRING, "", Importance.HIGH,
                "How the JSON body is built, in the mapping language of docs/mappings.md: a YAML flow mapping of "
                        + "JSON member to expression over the record, e.g. {email: {email: /email}, name: {record: "
                        + "{first: {given-name: /name}}}, amount: {major-units: /amount}, source: {const: syncline}}. "
                        + "Paths are JSON Pointers into the record value, or $record/key, $record/topic, "
                        + "$record/partition, $record/offset, $header/<name>. Empty sends the whole record as JSON "
                        + "(timestamps ISO-8601). The old target=source|transform entries (email=email|lower) are still "
                        + "read, converted and logged as deprecated.",
                GROUP_BODY, ++order, Width.LONG, "Body mapping");
        def.define(BODY_NULLS, Type.STRING, EnumValues.name(NullValues.OMIT), EnumValues.validator(NullValues.class),
                Importance.LOW, "What a mapped field without a value becomes: " + EnumValues.describe(NullValues.class)
                        + ".",
                GROUP_BODY, ++order, Width.SHORT, "Null values");

        order = 0;
        def.define(ORDERING_KEY, Type.STRING, "$record/key", Importance.MEDIUM,
                "What orders changes: changes with the same value are sent one at a time, in offset order. An "
                        + "expression of docs/mappings.md, e.g. $record/key (the canonical id) or /email; records "
                        + "without a value are ordered by partition. An old dotted path ($key, metadata.source_id) is "
                        + "still read.",
                GROUP_ORDERING, ++order, Width.MEDIUM, "Ordering key");
        def.define(VERSION_FIELD, Type.STRING, "/metadata/source_updated_at", Importance.MEDIUM,
                "Expression of the change's version (a timestamp or number), e.g. /metadata/source_updated_at; a "
                        + "change older than one already taken for the same ordering key is skipped (counted as "
                        + "'stale'). Empty turns this off.",
                GROUP_ORDERING, ++order, Width.MEDIUM, "Version field");
        def.define(IDEMPOTENCY_KEY_FIELD, Type.STRING, "/metadata/event_id", Importance.MEDIUM,
                "Expression of the change's idempotency key (sent in " + DeliveryConfig.IDEMPOTENCY_HEADER
                        + "), e.g. /metadata/event_id; records without it use <topic>-<partition>-<offset>.",
                GROUP_ORDERING, ++order, Width.MEDIUM, "Idempotency key field");

        order = 0;
        def.define(BATCH_MAX_RECORDS, Type.INT, 1, ConfigDef.Range.between(1, 10_000), Importance.MEDIUM,
                "Most changes per request; above 1 the sink sends JSON arrays of mapped bodies to a batch endpoint.",
                GROUP_BATCHING, ++order, Width.SHORT, "Max records per batch");
        def.define(BATCH_MAX_BYTES, Type.INT, 1_048_576, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Most bytes of items per batch request.", GROUP_BATCHING, ++order, Width.SHORT, "Max batch bytes");
        def.define(BATCH_MAX_WAIT_MS, Type.LONG, 50L, ConfigDef.Range.between(0, 60_000), Importance.LOW,
                "How long a lane waits for more changes to fill a batch.",
                GROUP_BATCHING, ++order, Width.SHORT, "Max batch wait (ms)");
        def.define(BATCH_WRAPPER, Type.STRING, "", Importance.MEDIUM,
                "JSON field holding the items, e.g. inputs for {\"inputs\":[...]}; empty sends a bare array.",
                GROUP_BATCHING, ++order, Width.SHORT, "Items field");
        def.define(BATCH_CORRELATION_FIELD, Type.STRING, "", Importance.LOW,
                "JSON field added to every item with its idempotency key, so per-item results and errors can be "
                        + "matched to changes (e.g. objectWriteTraceId).",
                GROUP_BATCHING, ++order, Width.SHORT, "Item correlation field");
        def.define(BATCH_RESULTS_FIELD, Type.STRING, "results", Importance.LOW,
                "Field of a batch response listing the items that succeeded.",
                GROUP_BATCHING, ++order, Width.SHORT, "Results field");
        def.define(BATCH_ERRORS_FIELD, Type.STRING, "errors", Importance.LOW,
                "Field of a batch response (typically HTTP 207) listing per-item errors; an error naming an item's "
                        + "correlation value dead-letters that item only.",
                GROUP_BATCHING, ++order, Width.SHORT, "Errors field");

        return DeliveryConfig.define(def, DeliveryConfig.Defaults.GENERIC);
    }

    /** Every problem with {@code props}, by key, for {@link HttpSinkConnector#validate}. */
    static Map<String, List<String>> problems(Map<String, String> props) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        AbstractConfig parsed;
        try {
            parsed = new AbstractConfig(CONFIG_DEF, props, false);
        } catch (ConfigException e) {
            return problems; // ConfigDef.validate reports type and range errors on their keys already
        }
        Mappings mappings = Mappings.compile(parsed, problems);
        headers(parsed, problems);
        statuses(parsed, problems);
        crossField(parsed, mappings.url, props, problems);
        return problems;
    }

    private static void crossField(AbstractConfig c, UrlTemplate url, Map<String, String> props,
                                   Map<String, List<String>> problems) {
        String deleteMethod = c.getString(DELETE_METHOD);
        if (deleteMethod != null && !deleteMethod.isBlank()) {
            try {
                Method.valueOf(deleteMethod.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                ConnectorValidation.add(problems, DELETE_METHOD, "'" + deleteMethod + "' is not one of "
                        + String.join(", ", Method.names()) + " (or empty to skip deletes)");
            }
        }
        if (c.getInt(BATCH_MAX_RECORDS) > 1 && url != null && url.hasPlaceholders()) {
            ConnectorValidation.add(problems, URL, URL + " '" + url + "' has placeholders, but " + BATCH_MAX_RECORDS
                    + "=" + c.getInt(BATCH_MAX_RECORDS) + " sends batches to one endpoint: remove the placeholders or "
                    + "set " + BATCH_MAX_RECORDS + "=1");
        }
        Map<String, URI> targets = new LinkedHashMap<>();
        if (url != null) {
            targets.put(URL, url.target());
        }
        ConnectorValidation.addAll(problems, DeliveryConfig.problems(c, props, targets));
    }

    private static List<Map.Entry<String, String>> headers(AbstractConfig c, Map<String, List<String>> problems) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String entry : c.getList(HEADERS)) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String name = colon <= 0 ? "" : entry.substring(0, colon).trim();
            if (colon <= 0 || name.isEmpty() || !name.chars().allMatch(ch -> ch > 32 && ch < 127 && ch != ':')) {
                ConnectorValidation.add(problems, HEADERS, "'" + entry
                        + "' is not Name:value (e.g. X-Source:syncline)");
                continue;
            }
            if (name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Content-Length")) {
                ConnectorValidation.add(problems, HEADERS, "header " + name
                        + " cannot be set; it comes from the request");
                continue;
            }
            out.add(new AbstractMap.SimpleImmutableEntry<>(name, entry.substring(colon + 1).trim()));
        }
        return out;
    }

    private static int[] statuses(AbstractConfig c, Map<String, List<String>> problems) {
        List<Integer> out = new ArrayList<>();
        for (String s : c.getList(ACCEPT_STATUSES)) {
            if (s.isBlank()) {
                continue;
            }
            try {
                int status = Integer.parseInt(s.trim());
                if (status < 100 || status > 599) {
                    throw new NumberFormatException();
                }
                out.add(status);
            } catch (NumberFormatException e) {
                ConnectorValidation.add(problems, ACCEPT_STATUSES, "'" + s + "' is not an HTTP status (100-599)");
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    public UrlTemplate url() {
        return mappings.url;
    }

    public UrlTemplate deleteUrl() {
        return mappings.deleteUrl;
    }

    /** The body mapping ({@link #BODY_MAPPING}); null nulls are left out or kept per {@link #BODY_NULLS}. */
    public SinkMappings.Body body() {
        return mappings.body;
    }

    /** The ordering key, or null when it is off. */
    public SinkMappings.Value orderingKey() {
        return mappings.orderingKey;
    }

    /** The version, or null when it is off. */
    public SinkMappings.Value version() {
        return mappings.version;
    }

    /** The idempotency key, or null when it is off. */
    public SinkMappings.Value idempotencyKey() {
        return mappings.idempotencyKey;
    }

    /** {@code metadata.operation}: DELETE marks a deleted source object. */
    public SinkMappings.Value operation() {
        return mappings.operation;
    }

    /** A view of records that converts what these expressions read; one per task. */
    public RecordView view() {
        return mappings.compiled.view();
    }

    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    public int[] acceptStatuses() {
        return acceptStatuses.clone();
    }

    public String method() {
        return getString(METHOD).trim().toUpperCase(Locale.ROOT);
    }

    /** The method for DELETE changes, or null to skip them. */
    public String deleteMethod() {
        String m = getString(DELETE_METHOD);
        return m == null || m.isBlank() ? null : m.trim().toUpperCase(Locale.ROOT);
    }


    public boolean batching() {
        return getInt(BATCH_MAX_RECORDS) > 1;
    }
}

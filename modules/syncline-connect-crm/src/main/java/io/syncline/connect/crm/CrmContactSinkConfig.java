package io.syncline.connect.crm;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.syncline.connect.common.ConnectorValidation;
import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.delivery.DeliveryConfig;
import io.syncline.delivery.mapping.SinkMappings;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * Configuration of the {@link CrmContactSinkConnector}: where the CRM is, which contact property each part of a
 * canonical {@code finance.CustomerActivity} becomes (its customer, its newest payment, its own figures), and
 * batching, plus the shared delivery keys of {@link DeliveryConfig} (auth, retries, rate limit, outbound safety).
 * Declared once in {@link #configDef()}; docs/connectors/crm.md is generated from it.
 */
public final class CrmContactSinkConfig extends AbstractConfig {

    public static final String GROUP_CRM = "CRM";
    public static final String GROUP_PROPERTIES = "Contact properties";
    public static final String GROUP_BATCHING = "Batching";

    public static final String CRM_URL = "crm.url";
    public static final String ID_PROPERTY = "crm.id.property";
    public static final String CUSTOMER_PROPERTIES = "crm.customer.properties";
    public static final String PAYMENT_PROPERTIES = "crm.payment.properties";
    public static final String ACTIVITY_PROPERTIES = "crm.activity.properties";
    /** Deprecated, no effect: the normalizer's customer-activity join gives every record its e-mail. */
    public static final String PAYMENT_EMAIL_FIELD = "crm.payment.email.field";
    /** Deprecated, no effect: the normalizer's customer-activity join finds a payment's customer. */
    public static final String PAYMENT_CUSTOMER_FIELD = "crm.payment.customer.field";
    /** Deprecated, no effect: payments wait for their customer in the normalizer's state, not in the sink. */
    public static final String CUSTOMER_WAIT_MS = "crm.payment.customer.wait.ms";
    /** Keys that configured the join the sink used to do itself; accepted so that configs keep working. */
    public static final List<String> DEPRECATED_KEYS = List.of(PAYMENT_EMAIL_FIELD, PAYMENT_CUSTOMER_FIELD,
            CUSTOMER_WAIT_MS);

    /** The canonical topic the sink reads; the customer and payment topics it read before issue 14 are refused. */
    public static final String ACTIVITY_TOPIC = "canonical.finance.customer-activity.v1";
    static final List<String> JOINED_TOPICS = List.of("canonical.finance.customer.v1",
            "canonical.finance.payment.v1");

    public static final String BATCH_MAX_RECORDS = "batch.max.records";
    public static final String BATCH_MAX_BYTES = "batch.max.bytes";
    public static final String BATCH_MAX_WAIT_MS = "batch.max.wait.ms";

    /** HubSpot's limit on inputs per batch request. */
    public static final int HUBSPOT_BATCH_LIMIT = 100;

    /** HubSpot private apps and OAuth apps: 100 requests per 10 s (the burst limit); stay a little under it. */
    private static final DeliveryConfig.Defaults HUBSPOT = new DeliveryConfig.Defaults(4,
            OutboundHttpConfig.Defaults.SINK.withRateLimit(0, 10, 90, 10_000));

    private static final ConfigDef CONFIG_DEF = build();

    private final Mappings mappings;

    public CrmContactSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props, false);
        Map<String, List<String>> problems = new LinkedHashMap<>();
        mappings = Mappings.compile(this, problems);
        ConnectorValidation.addAll(problems, problems(this, props));
        topicProblems(props, problems);
        if (!problems.isEmpty()) {
            throw ConnectorValidation.invalid(problems);
        }
    }

    /**
     * Everything of a record the sink reads, compiled once with the mapping language over JSON views: the customer
     * properties over the activity's {@code customer}, the payment properties over its {@code newest_payment} (so
     * that the expressions written for the customer and payment records the sink read before keep their meaning),
     * and the activity properties and the sink's own fields over the whole record. One view each.
     */
    record Mappings(SinkMappings customerScope, SinkMappings paymentScope, SinkMappings activityScope,
            SinkMappings.Body customerProperties, SinkMappings.Body paymentProperties,
            SinkMappings.Body activityProperties, SinkMappings.Value operation, SinkMappings.Value id,
            SinkMappings.Value email, SinkMappings.Value revision) {

        static Mappings compile(AbstractConfig c, Map<String, List<String>> problems) {
            SinkMappings customer = new SinkMappings(problems);
            SinkMappings payment = new SinkMappings(problems);
            SinkMappings activity = new SinkMappings(problems);
            return new Mappings(customer, payment, activity,
                    customer.object(CUSTOMER_PROPERTIES, c.getString(CUSTOMER_PROPERTIES), true, false),
                    payment.object(PAYMENT_PROPERTIES, c.getString(PAYMENT_PROPERTIES), true, false),
                    activity.object(ACTIVITY_PROPERTIES, c.getString(ACTIVITY_PROPERTIES), true, false),
                    activity.fixed("/metadata/operation"), activity.fixed("/id"), activity.fixed("/email"),
                    activity.fixed("/revision"));
        }
    }

    /** The definition of every key. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    private static ConfigDef build() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(CRM_URL, Type.STRING, "https://api.hubapi.com", new ConfigDef.NonEmptyString(), Importance.HIGH,
                "Base URL of the HubSpot-compatible CRM API; contacts are upserted through "
                        + "<crm.url>/crm/v3/objects/contacts/batch/upsert. Checked by the outbound allow-list.",
                GROUP_CRM, ++order, Width.LONG, "CRM URL");
        def.define(ID_PROPERTY, Type.STRING, "email", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                "The unique contact property upserts match on (HubSpot: email).",
                GROUP_CRM, ++order, Width.SHORT, "Id property");
        def.define(PAYMENT_EMAIL_FIELD, Type.STRING, "", Importance.LOW,
                "Deprecated, no effect: each customer-activity record carries the e-mail to match the contact on "
                        + "(the customer's, else the newest payment's billing e-mail), joined by the normalizer. "
                        + "Accepted with a warning so that older configurations keep working; remove it.",
                GROUP_CRM, ++order, Width.MEDIUM, "Payment e-mail field (deprecated)");
        def.define(PAYMENT_CUSTOMER_FIELD, Type.STRING, "", Importance.LOW,
                "Deprecated, no effect: the normalizer's customer-activity join finds each payment's customer. "
                        + "Accepted with a warning; remove it.",
                GROUP_CRM, ++order, Width.MEDIUM, "Payment customer field (deprecated)");
        def.define(CUSTOMER_WAIT_MS, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "Deprecated, no effect: a payment whose customer is not known yet waits in the normalizer's state "
                        + "(exactly-once, no timeout) and reaches the sink with its customer; the sink holds nothing "
                        + "back and dead-letters nothing as 'no-contact'. Accepted with a warning; remove it.",
                GROUP_CRM, ++order, Width.SHORT, "Customer wait (ms, deprecated)");

        order = 0;
        def.define(CUSTOMER_PROPERTIES, Type.STRING,
                "{firstname: {given-name: /name}, lastname: {family-name: /name}, phone: /phone, city: /address/city,"
                        + " country: /address/country, syncline_customer_id: /id}",
                Importance.HIGH,
                "Contact properties set from the activity's customer (its `customer` field, a canonical "
                        + "finance.Customer, so paths start at the customer: /name, /address/city): a YAML flow mapping "
                        + "of property to expression in the mapping language of docs/mappings.md (as the HTTP sink's "
                        + "body.mapping). Values are sent as strings, as HubSpot expects; properties without a value "
                        + "are left out, and none of these for a guest payer. The old property=field|transform entries "
                        + "are still read, converted and logged as deprecated.",
                GROUP_PROPERTIES, ++order, Width.LONG, "Customer properties");
        def.define(PAYMENT_PROPERTIES, Type.STRING,
                "{syncline_last_payment_amount: {major-units: /amount}, syncline_last_payment_currency:"
                        + " /amount/currency, syncline_last_payment_date: {epoch-millis: /created_at},"
                        + " syncline_last_payment_status: /status, syncline_last_payment_id: /id}",
                Importance.HIGH,
                "Contact properties set from the activity's newest payment (its `newest_payment` field, a canonical "
                        + "finance.Payment: the greatest created_at, then id, decided in the normalizer's state), in "
                        + "the same language, paths starting at the payment. None of these before the first payment. "
                        + "The defaults are custom properties to define in the CRM (the sandbox has them).",
                GROUP_PROPERTIES, ++order, Width.LONG, "Payment properties");
        def.define(ACTIVITY_PROPERTIES, Type.STRING,
                "{syncline_lifetime_value: {major-units: /newest_currency_lifetime_value}}",
                Importance.HIGH,
                "Contact properties set from the whole activity record (finance.CustomerActivity: lifetime_value, "
                        + "newest_currency_lifetime_value, payment counts, …), in the same language; they win over "
                        + "customer and payment properties of the same name. The default is the lifetime value in "
                        + "the currency of the last payment (syncline_last_payment_currency).",
                GROUP_PROPERTIES, ++order, Width.LONG, "Activity properties");

        order = 0;
        def.define(BATCH_MAX_RECORDS, Type.INT, HUBSPOT_BATCH_LIMIT, ConfigDef.Range.between(1, HUBSPOT_BATCH_LIMIT),
                Importance.MEDIUM, "Most contacts per batch/upsert request (HubSpot allows 100).",
                GROUP_BATCHING, ++order, Width.SHORT, "Max records");
        def.define(BATCH_MAX_BYTES, Type.INT, 1_000_000, ConfigDef.Range.atLeast(1024), Importance.LOW,
                "Most bytes of inputs per request.", GROUP_BATCHING, ++order, Width.SHORT, "Max bytes");
        def.define(BATCH_MAX_WAIT_MS, Type.LONG, 50L, ConfigDef.Range.between(0, 60_000), Importance.MEDIUM,
                "How long a request waits for more contacts to fill a batch; the latency this adds buys fewer "
                        + "requests against the CRM's rate limit.",
                GROUP_BATCHING, ++order, Width.SHORT, "Max wait (ms)");
        return DeliveryConfig.define(def, HUBSPOT);
    }

    /** Every problem of a configuration, by key, without throwing (for {@code validate}). */
    static Map<String, List<String>> problems(Map<String, String> props) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        AbstractConfig c;
        try {
            c = new AbstractConfig(CONFIG_DEF, props, false);
        } catch (org.apache.kafka.common.config.ConfigException e) {
            return problems; // Connect's own validation names single-key errors
        }
        Mappings.compile(c, problems);
        ConnectorValidation.addAll(problems, problems(c, props));
        topicProblems(props, problems);
        return problems;
    }

    /**
     * The customer and payment topics this sink used to join itself: refused on {@code topics} with what to read
     * instead, because their records are not customer activities and would all be dead-lettered.
     */
    static void topicProblems(Map<String, String> props, Map<String, List<String>> problems) {
        String topics = props.getOrDefault("topics", "");
        for (String t : topics.split(",")) {
            if (JOINED_TOPICS.contains(t.trim())) {
                ConnectorValidation.add(problems, "topics", "'" + t.trim() + "': the CRM contact sink reads "
                        + ACTIVITY_TOPIC + " (each payer's customer, newest payment and lifetime value, joined by the "
                        + "normalizer) and no longer joins " + String.join(" and ", JOINED_TOPICS) + " itself; set "
                        + "topics=" + ACTIVITY_TOPIC + " (docs/connectors/crm.md)");
            }
        }
    }

    private static Map<String, List<String>> problems(AbstractConfig c, Map<String, String> props) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        URI endpoint;
        try {
            endpoint = URI.create(upsertUrl(c.getString(CRM_URL), c.getString(ID_PROPERTY)));
            if (endpoint.getHost() == null) {
                ConnectorValidation.add(problems, CRM_URL, "'" + c.getString(CRM_URL) + "' is not an absolute URL");
                return problems;
            }
        } catch (IllegalArgumentException e) {
            ConnectorValidation.add(problems, CRM_URL, "'" + c.getString(CRM_URL) + "' is not a URL: "
                    + e.getMessage());
            return problems;
        }
        return DeliveryConfig.problems(c, props, Map.of(CRM_URL, endpoint));
    }

    private static String upsertUrl(String base, String idProperty) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return b + "/crm/v3/objects/contacts/batch/upsert";
    }

    /** The batch upsert endpoint. */
    public String upsertUrl() {
        return upsertUrl(getString(CRM_URL), getString(ID_PROPERTY));
    }

    /** What the sink reads of records, compiled. */
    Mappings mappings() {
        return mappings;
    }

    /** The keys of {@code props} that are deprecated and have no effect any more. */
    static List<String> deprecatedKeys(Map<String, String> props) {
        return DEPRECATED_KEYS.stream().filter(props::containsKey).toList();
    }
}

package io.syncline.connect.crm;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.syncline.delivery.DeliveryConfig;
import io.syncline.delivery.mapping.JsonMapping;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * Configuration of the {@link CrmContactSinkConnector}: where the CRM is, which contact property each canonical
 * {@code finance.Customer} and {@code finance.Payment} field becomes, how a payment finds its contact's e-mail, and
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
    public static final String PAYMENT_EMAIL_FIELD = "crm.payment.email.field";
    public static final String PAYMENT_CUSTOMER_FIELD = "crm.payment.customer.field";
    public static final String CUSTOMER_WAIT_MS = "crm.payment.customer.wait.ms";

    public static final String BATCH_MAX_RECORDS = "batch.max.records";
    public static final String BATCH_MAX_BYTES = "batch.max.bytes";
    public static final String BATCH_MAX_WAIT_MS = "batch.max.wait.ms";

    /** HubSpot's limit on inputs per batch request. */
    public static final int HUBSPOT_BATCH_LIMIT = 100;

    /** HubSpot private apps and OAuth apps: 100 requests per 10 s (the burst limit); stay a little under it. */
    private static final DeliveryConfig.Defaults HUBSPOT = new DeliveryConfig.Defaults(4, 0, 10, 90, 10_000);

    private static final ConfigDef CONFIG_DEF = build();

    private final JsonMapping customerProperties;
    private final JsonMapping paymentProperties;

    public CrmContactSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props, false);
        Map<String, List<String>> problems = new LinkedHashMap<>();
        customerProperties = mapping(this, CUSTOMER_PROPERTIES, problems);
        paymentProperties = mapping(this, PAYMENT_PROPERTIES, problems);
        problems(this, props).forEach((k, v) -> v.forEach(m -> DeliveryConfig.add(problems, k, m)));
        if (!problems.isEmpty()) {
            throw DeliveryConfig.invalid(problems);
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
        def.define(PAYMENT_EMAIL_FIELD, Type.STRING, "billing_email", Importance.MEDIUM,
                "Field of a canonical Payment holding the payer's e-mail; when it is empty the e-mail of the "
                        + "payment's customer (" + PAYMENT_CUSTOMER_FIELD + ") is used.",
                GROUP_CRM, ++order, Width.MEDIUM, "Payment e-mail field");
        def.define(PAYMENT_CUSTOMER_FIELD, Type.STRING, "customer_id", Importance.LOW,
                "Field of a canonical Payment naming its customer's source id, used to find the contact's e-mail "
                        + "from the Customer records this sink has read.",
                GROUP_CRM, ++order, Width.MEDIUM, "Payment customer field");
        def.define(CUSTOMER_WAIT_MS, Type.LONG, 300_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "How long a payment whose e-mail is not known yet waits for its customer record (its offset is not "
                        + "committed meanwhile); after that it goes to the dead-letter queue with reason 'no-contact'.",
                GROUP_CRM, ++order, Width.SHORT, "Customer wait (ms)");

        order = 0;
        def.define(CUSTOMER_PROPERTIES, Type.LIST,
                "firstname=name|given_name,lastname=name|family_name,phone=phone,city=address.city,"
                        + "country=address.country,syncline_customer_id=id",
                Importance.HIGH,
                "Contact properties set from a canonical Customer, as property=field|transform entries (the HTTP "
                        + "sink's body mapping language; see docs/connectors/http-sink.md). Values are sent as "
                        + "strings, as HubSpot expects; empty values are left out.",
                GROUP_PROPERTIES, ++order, Width.LONG, "Customer properties");
        def.define(PAYMENT_PROPERTIES, Type.LIST,
                "syncline_last_payment_amount=amount|money,syncline_last_payment_currency=amount.currency,"
                        + "syncline_last_payment_date=created_at|epoch_millis,syncline_last_payment_status=status,"
                        + "syncline_last_payment_id=id",
                Importance.HIGH,
                "Contact properties set from the contact's newest canonical Payment (by created_at; an update "
                        + "of an older payment does not overwrite them), in the same language. The defaults are "
                        + "custom properties to define in the CRM (the sandbox has them).",
                GROUP_PROPERTIES, ++order, Width.LONG, "Payment properties");

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
        mapping(c, CUSTOMER_PROPERTIES, problems);
        mapping(c, PAYMENT_PROPERTIES, problems);
        problems(c, props).forEach((k, v) -> v.forEach(m -> DeliveryConfig.add(problems, k, m)));
        return problems;
    }

    private static Map<String, List<String>> problems(AbstractConfig c, Map<String, String> props) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        URI endpoint;
        try {
            endpoint = URI.create(upsertUrl(c.getString(CRM_URL), c.getString(ID_PROPERTY)));
            if (endpoint.getHost() == null) {
                DeliveryConfig.add(problems, CRM_URL, "'" + c.getString(CRM_URL) + "' is not an absolute URL");
                return problems;
            }
        } catch (IllegalArgumentException e) {
            DeliveryConfig.add(problems, CRM_URL, "'" + c.getString(CRM_URL) + "' is not a URL: " + e.getMessage());
            return problems;
        }
        return DeliveryConfig.problems(c, props, Map.of(CRM_URL, endpoint));
    }

    private static JsonMapping mapping(AbstractConfig c, String key, Map<String, List<String>> problems) {
        try {
            return JsonMapping.parse(c.getList(key));
        } catch (IllegalArgumentException e) { // how JsonMapping.parse reports a malformed entry
            DeliveryConfig.add(problems, key, e.getMessage());
            return null;
        }
    }

    private static String upsertUrl(String base, String idProperty) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return b + "/crm/v3/objects/contacts/batch/upsert";
    }

    /** The batch upsert endpoint. */
    public String upsertUrl() {
        return upsertUrl(getString(CRM_URL), getString(ID_PROPERTY));
    }

    public JsonMapping customerProperties() {
        return customerProperties;
    }

    public JsonMapping paymentProperties() {
        return paymentProperties;
    }
}

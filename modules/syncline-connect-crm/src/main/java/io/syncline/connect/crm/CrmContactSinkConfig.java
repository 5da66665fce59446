package io.syncline.connect.crm;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.syncline.connect.common.ConnectorValidation;
import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.delivery.DeliveryConfig;
import io.syncline.delivery.mapping.RecordView;
import io.syncline.delivery.mapping.SinkMappings;
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
    private static final DeliveryConfig.Defaults HUBSPOT = new DeliveryConfig.Defaults(4,
            OutboundHttpConfig.Defaults.SINK.withRateLimit(0, 10, 90, 10_000));

    private static final ConfigDef CONFIG_DEF = build();

    private final Mappings mappings;

    public CrmContactSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props, false);
        Map<String, List<String>> problems = new LinkedHashMap<>();
        mappings = Mappings.compile(this, problems);
        ConnectorValidation.addAll(problems, problems(this, props));
        if (!problems.isEmpty()) {
            throw ConnectorValidation.invalid(problems);
        }
    }

    /**
     * Everything of a record the sink reads, compiled once with the mapping language over the record's JSON view: the
     * configured properties and paths, and the canonical fields the sink itself needs.
     */
    record Mappings(SinkMappings compiled, SinkMappings.Body customerProperties, SinkMappings.Body paymentProperties,
            SinkMappings.Value paymentEmail, SinkMappings.Value paymentCustomer, SinkMappings.Value operation,
            SinkMappings.Value eventId, SinkMappings.Value updatedAt, SinkMappings.Value id, SinkMappings.Value email,
            SinkMappings.Value createdAt) {

        static Mappings compile(AbstractConfig c, Map<String, List<String>> problems) {
            SinkMappings m = new SinkMappings(problems);
            return new Mappings(m,
                    m.object(CUSTOMER_PROPERTIES, c.getString(CUSTOMER_PROPERTIES), true, false),
                    m.object(PAYMENT_PROPERTIES, c.getString(PAYMENT_PROPERTIES), true, false),
                    m.value(PAYMENT_EMAIL_FIELD, c.getString(PAYMENT_EMAIL_FIELD)),
                    m.value(PAYMENT_CUSTOMER_FIELD, c.getString(PAYMENT_CUSTOMER_FIELD)),
                    m.fixed("/metadata/operation"), m.fixed("/metadata/event_id"),
                    m.fixed("/metadata/source_updated_at"), m.fixed("/id"), m.fixed("/email"),
                    m.fixed("/created_at"));
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
        def.define(PAYMENT_EMAIL_FIELD, Type.STRING, "/billing_email", Importance.MEDIUM,
                "Expression of a canonical Payment's payer e-mail (docs/mappings.md), e.g. /billing_email; when it "
                        + "has no value the e-mail of the payment's customer (" + PAYMENT_CUSTOMER_FIELD + ") is used. "
                        + "An old dotted path (billing_email) is still read.",
                GROUP_CRM, ++order, Width.MEDIUM, "Payment e-mail field");
        def.define(PAYMENT_CUSTOMER_FIELD, Type.STRING, "/customer_id", Importance.LOW,
                "Expression of a canonical Payment's customer id, e.g. /customer_id, used to find the contact's "
                        + "e-mail from the Customer records this sink has read.",
                GROUP_CRM, ++order, Width.MEDIUM, "Payment customer field");
        def.define(CUSTOMER_WAIT_MS, Type.LONG, 300_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "How long a payment whose e-mail is not known yet waits for its customer record (its offset is not "
                        + "committed meanwhile); after that it goes to the dead-letter queue with reason 'no-contact'.",
                GROUP_CRM, ++order, Width.SHORT, "Customer wait (ms)");

        order = 0;
        def.define(CUSTOMER_PROPERTIES, Type.STRING,
                "{firstname: {given-name: /name}, lastname: {family-name: /name}, phone: /phone, city: /address/city,"
                        + " country: /address/country, syncline_customer_id: /id}",
                Importance.HIGH,
                "Contact properties set from a canonical Customer: a YAML flow mapping of property to expression in "
                        + "the mapping language of docs/mappings.md (as the HTTP sink's body.mapping). Values are sent "
                        + "as strings, as HubSpot expects; properties without a value are left out. The old "
                        + "property=field|transform entries are still read, converted and logged as deprecated.",
                GROUP_PROPERTIES, ++order, Width.LONG, "Customer properties");
        def.define(PAYMENT_PROPERTIES, Type.STRING,
                "{syncline_last_payment_amount: {major-units: /amount}, syncline_last_payment_currency:"
                        + " /amount/currency, syncline_last_payment_date: {epoch-millis: /created_at},"
                        + " syncline_last_payment_status: /status, syncline_last_payment_id: /id}",
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
        Mappings.compile(c, problems);
        ConnectorValidation.addAll(problems, problems(c, props));
        return problems;
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

    /** A view of records that converts what the mappings read; one per task. */
    public RecordView view() {
        return mappings.compiled().view();
    }
}

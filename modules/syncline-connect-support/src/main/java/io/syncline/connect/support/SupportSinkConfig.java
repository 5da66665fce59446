package io.syncline.connect.support;

import java.net.URI;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of the {@link SupportSinkConnector}: where the desk is, what each canonical record becomes (a ticket
 * found by its external id, or a user found by e-mail), which records are taken at all, and the ticket and user
 * fields as expressions of the mapping language, plus the shared delivery keys of {@link DeliveryConfig} with
 * Zendesk's defaults. Declared once in {@link #configDef()}; docs/connectors/support.md is generated from it.
 *
 * <p>The defaults describe the route the demo runs: a failed canonical {@code finance.Payment} opens one ticket for its
 * payer, with the amount, currency and decline reason.
 */
public final class SupportSinkConfig extends AbstractConfig {

    public static final String GROUP_ZENDESK = "Zendesk";
    public static final String GROUP_TICKET = "Tickets";
    public static final String GROUP_USER = "Users";

    public static final String URL = "zendesk.url";
    public static final String WRITE = "zendesk.write";
    public static final String FILTER = "record.filter";
    public static final String TICKET_EXTERNAL_ID = "ticket.external.id";
    public static final String TICKET_REQUESTER_EMAIL = "ticket.requester.email";
    public static final String TICKET_REQUESTER_NAME = "ticket.requester.name";
    public static final String TICKET_FIELDS = "ticket.fields";
    public static final String TICKET_COMMENT = "ticket.comment";
    public static final String TICKET_COMMENT_PUBLIC = "ticket.comment.public";
    public static final String TICKET_CONFLICT_RETRIES = "ticket.conflict.retries";
    public static final String TICKET_CREATE = "ticket.create";
    public static final String USER_FIELDS = "user.fields";

    /** What a record becomes at the desk. */
    public enum Target {
        /** A ticket, created once per external id and updated with safe_update after that. */
        TICKET,
        /** A user, created or updated by e-mail (users/create_or_update). */
        USER
    }

    /**
     * API-token (basic) or OAuth auth as for the source; Zendesk allows 200 requests a minute on its smallest plan
     * (700 on Enterprise), so stay a little under that by default. A ticket write is two to four requests.
     */
    private static final DeliveryConfig.Defaults ZENDESK = new DeliveryConfig.Defaults(4,
            OutboundHttpConfig.Defaults.SINK
                    .withAuth(EnumSet.of(OutboundHttpConfig.AuthType.BASIC, OutboundHttpConfig.AuthType.BEARER),
                            OutboundHttpConfig.AuthType.BASIC, null)
                    .withRateLimit(0, 10, 180, 60_000));

    private static final ConfigDef CONFIG_DEF = build();

    private final Mappings mappings;
    private final Target target;

    public SupportSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props, false);
        Map<String, List<String>> problems = new LinkedHashMap<>();
        target = target(this);
        mappings = Mappings.compile(this, problems);
        ConnectorValidation.addAll(problems, problems(this, props));
        if (!problems.isEmpty()) {
            throw ConnectorValidation.invalid(problems);
        }
    }

    /** Everything the sink reads of a record, compiled once with the mapping language over the record's JSON view. */
    record Mappings(SinkMappings compiled, SinkMappings.Value filter, SinkMappings.Value externalId,
            SinkMappings.Value requesterEmail, SinkMappings.Value requesterName, SinkMappings.Body ticketFields,
            SinkMappings.Value comment, SinkMappings.Body userFields, SinkMappings.Value operation,
            SinkMappings.Value eventId, SinkMappings.Value updatedAt, SinkMappings.Value id) {

        static Mappings compile(AbstractConfig c, Map<String, List<String>> problems) {
            SinkMappings m = new SinkMappings(problems);
            return new Mappings(m,
                    m.value(FILTER, c.getString(FILTER)),
                    m.value(TICKET_EXTERNAL_ID, c.getString(TICKET_EXTERNAL_ID)),
                    m.value(TICKET_REQUESTER_EMAIL, c.getString(TICKET_REQUESTER_EMAIL)),
                    m.value(TICKET_REQUESTER_NAME, c.getString(TICKET_REQUESTER_NAME)),
                    m.object(TICKET_FIELDS, c.getString(TICKET_FIELDS), true, false),
                    m.value(TICKET_COMMENT, c.getString(TICKET_COMMENT)),
                    m.object(USER_FIELDS, c.getString(USER_FIELDS), true, false),
                    m.fixed("/metadata/operation"), m.fixed("/metadata/event_id"),
                    m.fixed("/metadata/source_updated_at"), m.fixed("/id"));
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
                "Base URL of the Zendesk account, https://<subdomain>.zendesk.com (or of a Zendesk-compatible API such "
                        + "as the Syncline support sandbox); the sink appends /api/v2/... to it. Checked by the "
                        + "outbound allow-list.",
                GROUP_ZENDESK, ++order, Width.LONG, "Zendesk URL");
        def.define(WRITE, Type.STRING, "ticket", ConfigDef.ValidString.in("ticket", "user"), Importance.HIGH,
                "What each record becomes: 'ticket' (found by " + TICKET_EXTERNAL_ID + ", created once, then "
                        + "updated with safe_update) or 'user' (users/create_or_update, matched by e-mail).",
                GROUP_ZENDESK, ++order, Width.SHORT, "Write");
        def.define(FILTER, Type.STRING, "{equals: [/status, {const: FAILED}]}", Importance.HIGH,
                "A condition in the mapping language (docs/mappings.md) a record must meet to be written, e.g. "
                        + "{equals: [/status, {const: FAILED}]} for failed payments; other records are skipped (counted "
                        + "as 'filtered'). Empty takes every record.",
                GROUP_ZENDESK, ++order, Width.LONG, "Record filter");

        order = 0;
        def.define(TICKET_EXTERNAL_ID, Type.STRING, "{concat: [{const: 'syncline:'}, /id]}", Importance.HIGH,
                "Expression of the ticket's external_id: the ticket is looked up by it before it is created, so a "
                        + "retried or replayed record never opens a second ticket, and a later record with the same "
                        + "external id updates the same ticket.",
                GROUP_TICKET, ++order, Width.LONG, "External id");
        def.define(TICKET_CREATE, Type.BOOLEAN, true, Importance.HIGH,
                "Whether a record whose ticket does not exist yet opens one. false: update only (e.g. a refund "
                        + "commenting on the ticket its payment opened): a record whose external id finds no ticket is "
                        + "skipped, counted as 'no-ticket' (most refunds follow payments that never failed, so a "
                        + "missing ticket is the expected case, not an error), and no requester is needed.",
                GROUP_TICKET, ++order, Width.SHORT, "Create tickets");
        def.define(TICKET_REQUESTER_EMAIL, Type.STRING, "/billing_email", Importance.HIGH,
                "Expression of the requester's e-mail; Zendesk finds the user by it or creates one. A record without "
                        + "one goes to the dead-letter queue with reason 'no-requester' (with " + TICKET_CREATE
                        + "=false it is not needed).",
                GROUP_TICKET, ++order, Width.MEDIUM, "Requester e-mail");
        def.define(TICKET_REQUESTER_NAME, Type.STRING, "/billing_name", Importance.LOW,
                "Expression of the requester's name, used when Zendesk creates the user.",
                GROUP_TICKET, ++order, Width.MEDIUM, "Requester name");
        def.define(TICKET_FIELDS, Type.STRING,
                "{subject: {concat: [{const: 'Payment failed: '}, {coalesce: [/failure_message, /failure_code, "
                        + "{const: 'declined'}]}]}, type: {const: problem}, priority: {const: high}}",
                Importance.HIGH,
                "Ticket fields set on create and kept in step on update: a YAML flow mapping of Zendesk ticket field "
                        + "to expression (as the HTTP sink's body.mapping). Fields without a value are left out.",
                GROUP_TICKET, ++order, Width.LONG, "Ticket fields");
        def.define(TICKET_COMMENT, Type.STRING,
                "{concat: [{const: 'Payment '}, /id, {const: ' of '}, {text: {major-units: /amount}}, {const: ' '}, "
                        + "/amount/currency, {const: ' failed: '}, {coalesce: [/failure_message, {const: 'no reason "
                        + "given'}]}, {const: ' ('}, {coalesce: [/failure_code, {const: 'no code'}]}, {const: ')'}]}",
                Importance.HIGH,
                "Expression of a comment added to the ticket: the first comment of a new ticket, and on an update "
                        + "added only when the ticket has no comment with this exact text yet, so a record delivered "
                        + "twice comments once. Empty adds none (a new ticket then gets the subject as its comment).",
                GROUP_TICKET, ++order, Width.LONG, "Comment");
        def.define(TICKET_COMMENT_PUBLIC, Type.BOOLEAN, false, Importance.LOW,
                "Whether the comments are public (the requester is notified) or internal notes.",
                GROUP_TICKET, ++order, Width.SHORT, "Public comments");
        def.define(TICKET_CONFLICT_RETRIES, Type.INT, 5, ConfigDef.Range.between(0, 100), Importance.LOW,
                "How often an update answered 409 (the ticket changed since it was read: safe_update) reads the ticket "
                        + "again and retries before the change fails the task (it is not lost: it stays uncommitted).",
                GROUP_TICKET, ++order, Width.SHORT, "Conflict retries");

        order = 0;
        def.define(USER_FIELDS, Type.STRING, "{email: /email, name: /name, phone: /phone}", Importance.HIGH,
                "With " + WRITE + "=user: the user's fields as a YAML flow mapping of Zendesk user field to "
                        + "expression; email is required (create_or_update matches on it).",
                GROUP_USER, ++order, Width.LONG, "User fields");
        return DeliveryConfig.define(def, ZENDESK);
    }

    private static Target target(AbstractConfig c) {
        return Target.valueOf(c.getString(WRITE).trim().toUpperCase(Locale.ROOT));
    }

    /** Every problem of a configuration, by key, without throwing (for {@code validate}). */
    static Map<String, List<String>> problems(Map<String, String> props) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        AbstractConfig c;
        try {
            c = new AbstractConfig(CONFIG_DEF, props, false);
        } catch (ConfigException e) {
            return problems; // Connect's own validation names single-key errors
        }
        Mappings.compile(c, problems);
        ConnectorValidation.addAll(problems, problems(c, props));
        return problems;
    }

    private static Map<String, List<String>> problems(AbstractConfig c, Map<String, String> props) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        String base = c.getString(URL).trim();
        URI endpoint;
        try {
            endpoint = URI.create(base);
        } catch (IllegalArgumentException e) {
            ConnectorValidation.add(problems, URL, URL + ": '" + base + "' is not a URL: " + e.getMessage());
            return problems;
        }
        if (endpoint.getHost() == null || endpoint.getScheme() == null) {
            ConnectorValidation.add(problems, URL, URL + ": expected the account's https URL such as "
                    + "https://acme.zendesk.com, got '" + base + "'");
            return problems;
        }
        Target target = target(c);
        if (target == Target.TICKET) {
            require(problems, c, TICKET_EXTERNAL_ID, "the ticket is found by it, so that it is opened once");
            require(problems, c, TICKET_REQUESTER_EMAIL, "a ticket needs a requester");
        } else if (!c.getString(USER_FIELDS).contains("email")) {
            ConnectorValidation.add(problems, USER_FIELDS, USER_FIELDS + ": expected an 'email' field (users are "
                    + "matched by e-mail), got '" + c.getString(USER_FIELDS) + "'");
        }
        ConnectorValidation.addAll(problems, DeliveryConfig.problems(c, props, Map.of(URL, endpoint)));
        return problems;
    }

    private static void require(Map<String, List<String>> problems, AbstractConfig c, String key, String why) {
        if (c.getString(key) == null || c.getString(key).isBlank()) {
            ConnectorValidation.add(problems, key, key + " is required with " + WRITE + "=ticket: " + why);
        }
    }

    /** The account's base URL without a trailing slash. */
    public String baseUrl() {
        String b = getString(URL).trim();
        return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    /** What records become. */
    public Target target() {
        return target;
    }

    /** What the sink reads of records, compiled. */
    Mappings mappings() {
        return mappings;
    }

    /** A view of records that converts what the mappings read; one per task. */
    RecordView view() {
        return mappings.compiled().view();
    }
}

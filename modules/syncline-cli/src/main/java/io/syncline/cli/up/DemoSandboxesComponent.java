package io.syncline.cli.up;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.syncline.config.ConnectorConfig;
import io.syncline.config.GatewayConfig;
import io.syncline.config.SecretRef;
import io.syncline.config.SignatureScheme;
import io.syncline.config.SynclineConfig;
import io.syncline.config.WebhookEndpointConfig;
import io.syncline.kafka.FreePorts;
import io.syncline.ops.Health;
import io.syncline.sandbox.crm.CrmSandbox;
import io.syncline.sandbox.payments.PaymentsSandbox;
import io.syncline.sandbox.support.SupportSandbox;

/**
 * {@code syncline up --demo}: the payments sandbox (Stripe-compatible, with its activity generator) and the CRM
 * sandbox (HubSpot-compatible, with its activity generator and a webhook subscription to the gateway) and the support sandbox (Zendesk-compatible, with its own activity), started before
 * everything else, and the pipeline between them declared with the same
 * {@code syncline.yaml} model a user writes ({@link #pipeline}): the payments source connector and a signed webhook
 * endpoint into raw topics, the normalizer (with its customer-activity join), the CRM contact sink reading
 * {@code canonical.finance.customer-activity.v1}, the CRM source reading the CRM sandbox, and the support sink with the
 * route "a failed payment opens one ticket for its payer" declared in its config; and the shop database
 * ({@link #shop()}, a component of its own) with its Debezium source. The credentials are drawn per data directory
 * ({@link DemoSecrets}), kept in owner-only files there and referenced, never inlined, as a user's would be; the
 * sandboxes listen on loopback unless {@link #bind} says otherwise.
 *
 * <p>With {@link #running} the payments and CRM sandboxes are not started here but used where they already run
 * ({@code syncline sandbox payments|crm} in other processes), so that they outlive a crash or a restart of {@code up}
 * as real providers do. Their credentials are then the ones those sandboxes issue, not drawn ones: their default API
 * key, client secret and private-app token, a refresh token the CRM sandbox hands out, and the secret of the webhook
 * endpoint registered through the payments API once and reused on later starts (its id is kept in the data
 * directory). The support sandbox and the shop database are still started here, as in the normal demo. A CRM
 * sandbox running elsewhere is not subscribed from here (its subscriptions live in its process, so each start of
 * {@code up} would add one and double every delivery): it is started with
 * {@code --webhook <gateway>/webhooks/hubspot}, and the gateway checks its signatures with its default client secret.
 */
public final class DemoSandboxesComponent implements Component {

    public static final String WEBHOOK_ENDPOINT = "stripe";
    /** The gateway endpoint the CRM sandbox posts its signed (HubSpot v3) webhook batches to. */
    public static final String CRM_WEBHOOK_ENDPOINT = "hubspot";
    /** The gateway endpoint the support sandbox posts its signed (Zendesk) event webhooks to. */
    public static final String SUPPORT_WEBHOOK_ENDPOINT = "zendesk";
    public static final String SUPPORT_SOURCE_NAME = "demo-support";
    public static final String SOURCE_NAME = "demo-payments";
    public static final String CRM_SOURCE_NAME = "demo-crm";
    public static final String SINK_NAME = "demo-crm-contacts";
    public static final String SINK_DLQ = "dlq.sink.demo-crm-contacts";
    public static final String TICKETS_SINK_NAME = "demo-support-tickets";
    public static final String TICKETS_SINK_DLQ = "dlq.sink.demo-support-tickets";
    public static final String REFUNDS_SINK_NAME = "demo-support-refunds";
    public static final String REFUNDS_SINK_DLQ = "dlq.sink.demo-support-refunds";

    private final int paymentsPort;
    private final int crmPort;
    private final int supportPort;
    private final double eventsPerSecond;
    private DemoSecrets secrets;
    private final Path webhookId;
    private final String gatewayUrl;
    private final DemoShopComponent shop;
    private final URI runningPayments;
    private final URI runningCrm;
    private int sinkTasks = 2;
    private String bindHost = "127.0.0.1";
    private PaymentsSandbox payments;
    private CrmSandbox crm;
    private SupportSandbox support;

    /**
     * @param dataDir where the demo's secrets file goes
     * @param gatewayPort the gateway's port, known before it starts, so the sandbox can send it webhooks
     * @param postgresPort the shop database's port
     */
    public DemoSandboxesComponent(Path dataDir, int paymentsPort, int crmPort, int supportPort, int gatewayPort,
                                  int postgresPort, double eventsPerSecond) {
        this(dataDir, paymentsPort, crmPort, supportPort, gatewayPort, postgresPort, eventsPerSecond, null, null);
    }

    private DemoSandboxesComponent(Path dataDir, int paymentsPort, int crmPort, int supportPort, int gatewayPort,
            int postgresPort, double eventsPerSecond, URI runningPayments, URI runningCrm) {
        this.paymentsPort = paymentsPort;
        this.crmPort = crmPort;
        this.supportPort = supportPort;
        this.eventsPerSecond = eventsPerSecond;
        this.secrets = DemoSecrets.inDirectory(dataDir.resolve("demo"));
        this.webhookId = dataDir.resolve("demo").resolve("stripe-webhook.id");
        this.gatewayUrl = "http://localhost:" + gatewayPort;
        // About one business operation per event of the other sandboxes: each writes ~3 rows, outbox included.
        this.shop = new DemoShopComponent(dataDir.resolve("demo"), postgresPort, eventsPerSecond * 3, secrets);
        this.runningPayments = runningPayments;
        this.runningCrm = runningCrm;
    }

    /** The shop database, started right after the sandboxes (Components.standard). */
    public DemoShopComponent shop() {
        return shop;
    }

    /** The interface the sandboxes listen on (default 127.0.0.1: only this machine can reach them). */
    public DemoSandboxesComponent bind(String host) {
        this.bindHost = host;
        return this;
    }

    /** This data directory's demo credentials. */
    public DemoSecrets secrets() {
        return secrets;
    }

    /**
     * The demo against payments and CRM sandboxes that already run elsewhere ({@code syncline sandbox payments} and
     * {@code syncline sandbox crm} with their default credentials); their activity generator is theirs to set, and
     * {@code eventsPerSecond} only sets the traffic of the support sandbox and the shop database, started here.
     */
    public static DemoSandboxesComponent running(Path dataDir, URI payments, URI crm, int supportPort,
            int gatewayPort, int postgresPort, double eventsPerSecond) {
        return new DemoSandboxesComponent(dataDir, payments.getPort(), crm.getPort(), supportPort, gatewayPort,
                postgresPort, eventsPerSecond, payments, crm);
    }

    /** The CRM sink's {@code tasks.max} (default 2: its tasks keep no state, so it scales with them). */
    public DemoSandboxesComponent sinkTasks(int tasks) {
        this.sinkTasks = tasks;
        return this;
    }

    /**
     * The demo's pipeline added to {@code base}: the gateway endpoint the sandbox signs for, the payments connector
     * polling the sandbox, the CRM sink writing to the CRM sandbox (both sandboxes allow-listed explicitly: they are
     * on loopback, which the SSRF guard refuses otherwise).
     */
    public SynclineConfig pipeline(SynclineConfig base) {
        String paymentsHost = (runningPayments == null ? "localhost" : runningPayments.getHost()) + ":" + paymentsPort;
        String crmHost = (runningCrm == null ? "localhost" : runningCrm.getHost()) + ":" + crmPort;
        String crmUrl = "http://" + crmHost;
        // The object types the payments sandbox emits events for; any other type the template would fill goes to
        // raw.stripe.event, which the normalizer reads (and dead-letters with the reason).
        WebhookEndpointConfig endpoint = new WebhookEndpointConfig(WEBHOOK_ENDPOINT, SignatureScheme.STRIPE,
                List.of(SecretRef.file(secrets.webhookSecretFile())), "raw.stripe.{/data/object/object}",
                "raw.stripe.event", null, null, null, List.of("raw.stripe.customer", "raw.stripe.charge",
                        "raw.stripe.payment_intent", "raw.stripe.invoice", "raw.stripe.refund",
                        "raw.stripe.invoiceitem"), null, null, null);
        // HubSpot signs with the app's client secret; a batch is split into one record per event, routed by its
        // subscription type to the topic the CRM source writes the same objects to (same key: the object id), so
        // the normalizer merges both paths per object. An event of another type goes to raw.hubspot.event, which
        // the normalizer reads and dead-letters with the reason.
        Map<String, String> routes = new java.util.LinkedHashMap<>();
        routes.put("contact.*", "raw.hubspot.contact");
        routes.put("company.*", "raw.hubspot.company");
        routes.put("deal.*", "raw.hubspot.deal");
        WebhookEndpointConfig crmEndpoint = new WebhookEndpointConfig(CRM_WEBHOOK_ENDPOINT, SignatureScheme.HUBSPOT_V3,
                List.of(SecretRef.file(secrets.crmWebhookSecretFile())), null, "raw.hubspot.event", null, null, null,
                null, "/subscriptionType", routes, null);
        // Zendesk signs each event webhook with the webhook's own secret (here this data directory's); an event is
        // routed by its type to the topic the support source exports the same object to, keyed by the object id, so
        // both paths of one change meet in the normalizer, which keeps the first and counts the other a duplicate.
        // Any other type goes to raw.zendesk.event, which the normalizer reads and dead-letters with the reason.
        Map<String, String> supportRoutes = new java.util.LinkedHashMap<>();
        supportRoutes.put("zen:event-type:ticket.*", "raw.zendesk.ticket");
        supportRoutes.put("zen:event-type:user.*", "raw.zendesk.user");
        supportRoutes.put("zen:event-type:organization.*", "raw.zendesk.organization");
        WebhookEndpointConfig supportEndpoint = new WebhookEndpointConfig(SUPPORT_WEBHOOK_ENDPOINT,
                SignatureScheme.ZENDESK, List.of(SecretRef.file(secrets.supportWebhookSecretFile())), null,
                "raw.zendesk.event", null, null, null, null, "/type", supportRoutes, null);
        GatewayConfig gateway = base.gateway().withEndpoints(List.of(endpoint, crmEndpoint, supportEndpoint));
        ConnectorConfig source = new ConnectorConfig(SOURCE_NAME, "payments", 2, List.of(), Map.of(
                "key.converter", "org.apache.kafka.connect.storage.StringConverter",
                "value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter",
                "stripe.base.url", "http://" + paymentsHost,
                "auth.bearer.token", secrets.reference(DemoSecrets.PAYMENTS_API_KEY),
                "poll.interval.ms", "1000",
                // Connect creates a topic the normalizer has not (up's broker auto-creates none), with the count the
                // normalizer gives raw topics: one with more would stop it (docs/normalizer.md, raw topics' counts).
                "topic.creation.default.partitions", String.valueOf(base.normalizer().partitions()),
                "topic.creation.default.replication.factor", "-1",
                "outbound.allow.list", paymentsHost,
                "outbound.allow.plain.http", paymentsHost));
        ConnectorConfig sink = new ConnectorConfig(SINK_NAME, "crm-contacts", sinkTasks,
                List.of("canonical.finance.customer-activity.v1"), Map.ofEntries(
                Map.entry("key.converter", "org.apache.kafka.connect.storage.StringConverter"),
                Map.entry("value.converter", "io.syncline.registry.connect.AvroConverter"),
                Map.entry("value.converter.schema.registry.url", ConnectorsComponent.REGISTRY_URL),
                // Headers as plain strings: the default SimpleHeaderConverter tries to parse each one as a number
                // or date, and a hex trace id costs it an exception per record on the task thread.
                Map.entry("header.converter", "org.apache.kafka.connect.storage.StringConverter"),
                Map.entry("crm.url", crmUrl),
                // HubSpot's limit (100 requests per 10 s) is per app, shared by every task; each keeps its own window.
                Map.entry("rate.limit.window.requests", String.valueOf(Math.max(1, 90 / sinkTasks))),
                Map.entry("auth.type", "oauth2"),
                Map.entry("oauth2.token.url", crmUrl + "/oauth/v1/token"),
                Map.entry("oauth2.client.id", CrmSandbox.DEFAULT_CLIENT_ID),
                Map.entry("oauth2.client.secret", secrets.reference(DemoSecrets.CRM_CLIENT_SECRET)),
                Map.entry("oauth2.refresh.token", secrets.reference(DemoSecrets.CRM_REFRESH_TOKEN)),
                Map.entry("outbound.allow.list", crmHost),
                Map.entry("outbound.allow.plain.http", crmHost),
                Map.entry("errors.tolerance", "all"),
                Map.entry("errors.deadletterqueue.topic.name", SINK_DLQ),
                Map.entry("errors.deadletterqueue.topic.replication.factor", "1"),
                Map.entry("errors.deadletterqueue.context.headers.enable", "true")));
        String supportHost = "localhost:" + supportPort;
        ConnectorConfig tickets = new ConnectorConfig(TICKETS_SINK_NAME, "zendesk-tickets", 1,
                List.of("canonical.finance.payment.v1"), Map.ofEntries(
                Map.entry("key.converter", "org.apache.kafka.connect.storage.StringConverter"),
                Map.entry("value.converter", "io.syncline.registry.connect.AvroConverter"),
                Map.entry("value.converter.schema.registry.url", ConnectorsComponent.REGISTRY_URL),
                Map.entry("header.converter", "org.apache.kafka.connect.storage.StringConverter"),
                Map.entry("zendesk.url", "http://" + supportHost),
                Map.entry("auth.basic.username", SupportSandbox.DEFAULT_AGENT_EMAIL + "/token"),
                Map.entry("auth.basic.password", secrets.reference(DemoSecrets.SUPPORT_API_TOKEN)),
                // The route: a failed charge with a payer e-mail opens one ticket per payment intent (a retried
                // intent's second failed charge comments on the same ticket), requester by e-mail.
                Map.entry("record.filter", "{all: [{equals: [/status, {const: FAILED}]}, {exists: /billing_email},"
                        + " {equals: [/metadata/source_object_type, {const: charge}]}]}"),
                Map.entry("ticket.external.id", "{concat: [{const: 'syncline:'}, {coalesce: [/payment_intent_id,"
                        + " /id]}]}"),
                Map.entry("ticket.requester.email", "/billing_email"),
                Map.entry("ticket.requester.name", "/billing_name"),
                Map.entry("outbound.allow.list", supportHost),
                Map.entry("outbound.allow.plain.http", supportHost),
                Map.entry("errors.tolerance", "all"),
                Map.entry("errors.deadletterqueue.topic.name", TICKETS_SINK_DLQ),
                Map.entry("errors.deadletterqueue.topic.replication.factor", "1"),
                Map.entry("errors.deadletterqueue.context.headers.enable", "true")));
        // A refund comments on the ticket its payment opened (same external id: the payment intent, else the
        // charge), update only: a refund of a payment that never failed has no ticket and is skipped (no-ticket).
        ConnectorConfig refunds = new ConnectorConfig(REFUNDS_SINK_NAME, "zendesk-tickets", 1,
                List.of("canonical.finance.refund.v1"), Map.ofEntries(
                Map.entry("key.converter", "org.apache.kafka.connect.storage.StringConverter"),
                Map.entry("value.converter", "io.syncline.registry.connect.AvroConverter"),
                Map.entry("value.converter.schema.registry.url", ConnectorsComponent.REGISTRY_URL),
                Map.entry("header.converter", "org.apache.kafka.connect.storage.StringConverter"),
                Map.entry("zendesk.url", "http://" + supportHost),
                Map.entry("auth.basic.username", SupportSandbox.DEFAULT_AGENT_EMAIL + "/token"),
                Map.entry("auth.basic.password", secrets.reference(DemoSecrets.SUPPORT_API_TOKEN)),
                Map.entry("ticket.create", "false"),
                Map.entry("record.filter", "{equals: [/status, {const: SUCCEEDED}]}"),
                Map.entry("ticket.external.id", "{concat: [{const: 'syncline:'}, {coalesce: [/payment_intent_id,"
                        + " /payment_id]}]}"),
                Map.entry("ticket.fields", "{}"),
                Map.entry("ticket.comment", "{concat: [{const: 'Refund '}, /id, {const: ' of '}, {text: {major-units:"
                        + " /amount}}, {const: ' '}, /amount/currency, {const: ' issued'}, {coalesce: [{concat:"
                        + " [{const: ' ('}, {lower: /source_reason}, {const: ')'}]}, {const: ''}]}, {const: '.'}]}"),
                Map.entry("outbound.allow.list", supportHost),
                Map.entry("outbound.allow.plain.http", supportHost),
                Map.entry("errors.tolerance", "all"),
                Map.entry("errors.deadletterqueue.topic.name", REFUNDS_SINK_DLQ),
                Map.entry("errors.deadletterqueue.topic.replication.factor", "1"),
                Map.entry("errors.deadletterqueue.context.headers.enable", "true")));
        // The CRM source reads back what the sink writes (contacts, with their companies and deals) into
        // raw.hubspot.*; a private-app token of its own, since the sandbox rotates the sink's refresh token.
        ConnectorConfig crmSource = new ConnectorConfig(CRM_SOURCE_NAME, "crm-source", 1, List.of(), Map.of(
                "key.converter", "org.apache.kafka.connect.storage.StringConverter",
                "value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter",
                "crm.url", crmUrl,
                "auth.bearer.token", secrets.reference(DemoSecrets.CRM_PRIVATE_APP_TOKEN),
                "poll.interval.ms", "1000",
                "search.lag.ms", "1000",
                "archived.poll.interval.ms", "10000",
                "outbound.allow.list", crmHost,
                "outbound.allow.plain.http", crmHost));
        // The support source exports tickets, users and the comments' audits into raw.zendesk.*; organizations are
        // left out (no canonical entity yet). Zendesk allows 10 export requests a minute and leaves the last minute
        // out of the exports, so polling each of the three every 20 s stays within the budget; webhooks bring the
        // changes sooner. One task per object type, so a long backfill of one (the comments' audits) does not hold
        // the others behind the shared rate limit.
        String supportUrl = "http://" + supportHost;
        ConnectorConfig supportSource = new ConnectorConfig(SUPPORT_SOURCE_NAME, "zendesk", 3, List.of(), Map.ofEntries(
                Map.entry("key.converter", "org.apache.kafka.connect.storage.StringConverter"),
                Map.entry("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter"),
                Map.entry("zendesk.url", supportUrl),
                Map.entry("zendesk.objects", "ticket,user,ticket_comment"),
                Map.entry("auth.basic.username", SupportSandbox.DEFAULT_AGENT_EMAIL + "/token"),
                Map.entry("auth.basic.password", secrets.reference(DemoSecrets.SUPPORT_API_TOKEN)),
                Map.entry("poll.interval.ms", "20000"),
                Map.entry("topic.creation.default.partitions", "12"),
                Map.entry("topic.creation.default.replication.factor", "-1"),
                Map.entry("outbound.allow.list", supportHost),
                Map.entry("outbound.allow.plain.http", supportHost)));
        return base.withGateway(gateway).withConnectors(List.of(source, crmSource, supportSource, shop.source()),
                List.of(sink, tickets, refunds));
    }

    @Override
    public String name() {
        return "Demo sandboxes";
    }

    @Override
    public void preflight(StackContext context) {
        FreePorts.requireFree(bindHost, supportPort, "support sandbox", "--support-sandbox-port");
        if (runningPayments != null) {
            return; // payments and CRM run elsewhere; start() finds out whether they answer
        }
        FreePorts.requireFree(bindHost, paymentsPort, "payments sandbox", "--payments-sandbox-port");
        FreePorts.requireFree(bindHost, crmPort, "CRM sandbox", "--crm-sandbox-port");
    }

    @Override
    public void start(StackContext context) {
        if (runningPayments != null) {
            startWithRunning(context);
            return;
        }
        // The seed keeps the generated activity reproducible; the credentials are this data directory's own.
        payments = PaymentsSandbox.builder().host(bindHost).port(paymentsPort).seed(42)
                .apiKey(secrets.get(DemoSecrets.PAYMENTS_API_KEY)).generatorRate(eventsPerSecond)
                .startGenerator(true).build().start();
        // The source (private-app token) and the sink (OAuth app) are two apps, each with its own 90-request
        // window; HubSpot limits each app per account, but the sandbox counts every client against one limit, so it
        // gets HubSpot Professional's 190 per 10 s: room for both, and the generated activity the source reads
        // does not throttle the sink.
        crm = CrmSandbox.builder().host(bindHost).port(crmPort).seed(42).tenSecondlyLimit(190)
                .clientSecret(secrets.get(DemoSecrets.CRM_CLIENT_SECRET))
                .privateAppToken(secrets.get(DemoSecrets.CRM_PRIVATE_APP_TOKEN)).generatorRate(eventsPerSecond)
                .startGenerator(true).build().start();
        crm.oauth().acceptRefreshToken(secrets.get(DemoSecrets.CRM_REFRESH_TOKEN));
        // As a HubSpot app's webhook subscription: creations, property changes, deletions and merges of contacts,
        // companies and deals, signed (v3) with the client secret the gateway's hubspot endpoint reads.
        crm.registerWebhook(gatewayUrl + "/webhooks/" + CRM_WEBHOOK_ENDPOINT);
        support = SupportSandbox.builder().host(bindHost).port(supportPort).seed(42)
                .apiToken(secrets.get(DemoSecrets.SUPPORT_API_TOKEN)).generatorRate(eventsPerSecond)
                .startGenerator(true).build().start();
        registerSupportWebhook();
        payments.registerWebhookWithSecret(gatewayUrl + "/webhooks/" + WEBHOOK_ENDPOINT, secrets.webhookSecret());
        context.publish(StackContext.PAYMENTS_SANDBOX, payments.url());
        context.publish(StackContext.CRM_SANDBOX, crm.url());
        context.publish(StackContext.SUPPORT_SANDBOX, support.url());
    }

    /**
     * Payments and CRM run elsewhere: their credentials are what they issue (kept in this data directory's secrets
     * file, where the connector configs reference them). The gateway's webhook endpoint is registered through the
     * payments API unless the one registered by an earlier start still exists (a second endpoint would double every
     * delivery), the CRM sandbox hands out a refresh token for the sink, and the support sandbox starts here.
     */
    private void startWithRunning(StackContext context) {
        String apiKey = PaymentsSandbox.DEFAULT_API_KEY;
        SandboxClient client = new SandboxClient();
        String hookUrl = gatewayUrl + "/webhooks/" + WEBHOOK_ENDPOINT;
        String secret = null;
        try {
            if (Files.exists(webhookId)) {
                String id = Files.readString(webhookId, StandardCharsets.UTF_8).strip();
                var existing = client.get(runningPayments.resolve("/v1/webhook_endpoints/" + id), apiKey);
                if (existing != null && hookUrl.equals(existing.path("url").asText())) {
                    secret = secrets.webhookSecret();
                }
            }
            if (secret == null) {
                var created = client.postForm(runningPayments.resolve("/v1/webhook_endpoints"), apiKey,
                        "url=" + java.net.URLEncoder.encode(hookUrl, StandardCharsets.UTF_8) + "&enabled_events[]=*");
                secret = created.path("secret").asText();
                Files.writeString(webhookId, created.path("id").asText(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading or writing the demo's webhook endpoint id " + webhookId, e);
        }
        String refresh = client.postForm(runningCrm.resolve("/_sandbox/oauth/refresh-tokens"), null, "")
                .path("refresh_token").asText();
        secrets = secrets.with(DemoSecrets.PAYMENTS_API_KEY, apiKey)
                .with(DemoSecrets.CRM_CLIENT_SECRET, CrmSandbox.DEFAULT_CLIENT_SECRET)
                .with(DemoSecrets.CRM_PRIVATE_APP_TOKEN, CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN)
                .with(DemoSecrets.CRM_REFRESH_TOKEN, refresh)
                .withWebhookSecret(secret);
        support = SupportSandbox.builder().host(bindHost).port(supportPort).seed(42)
                .apiToken(secrets.get(DemoSecrets.SUPPORT_API_TOKEN)).generatorRate(eventsPerSecond)
                .startGenerator(true).build().start();
        registerSupportWebhook();
        context.publish(StackContext.PAYMENTS_SANDBOX, stripSlash(runningPayments.toString()));
        context.publish(StackContext.CRM_SANDBOX, stripSlash(runningCrm.toString()));
        context.publish(StackContext.SUPPORT_SANDBOX, support.url());
    }

    /**
     * As an admin adds a webhook in Zendesk's Admin Center, to the gateway's zendesk endpoint, signed with this data
     * directory's secret, subscribed to what the Zendesk mappings take: every ticket event (each carries the whole
     * ticket) and user.deleted. Zendesk's other user events carry a few fields only and are left to the export; sent,
     * they would only be dead-lettered (no-mapping). The support sandbox lives in this process, so one registration
     * per start is one subscription.
     */
    private void registerSupportWebhook() {
        String[] types = SupportSandbox.eventTypes().stream().filter(t -> t.startsWith("zen:event-type:ticket.")
                || t.equals("zen:event-type:user.deleted")).toArray(String[]::new);
        support.registerWebhookWithSecret(gatewayUrl + "/webhooks/" + SUPPORT_WEBHOOK_ENDPOINT,
                secrets.get(DemoSecrets.SUPPORT_WEBHOOK_SECRET), types);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public void stop() {
        if (payments == null) {
            // Payments and CRM run elsewhere: they stay up, as providers do; the support sandbox is this process's.
            if (support != null) {
                support.close();
            }
            return;
        }
        try {
            payments.close();
        } finally {
            try {
                crm.close();
            } finally {
                if (support != null) {
                    support.close();
                }
            }
        }
    }

    @Override
    public String address() {
        if (runningPayments != null) {
            return runningPayments + " (payments), " + runningCrm + " (CRM), running elsewhere"
                    + (support == null ? "" : "; " + support.url() + " (support)");
        }
        return payments == null ? "" : payments.url() + " (payments), " + crm.url() + " (CRM), " + support.url()
                + " (support)";
    }

    @Override
    public Health health() {
        if (runningPayments != null) {
            return support == null ? Health.down("not started") : Health.up("payments and CRM running elsewhere, "
                    + support.objectIds("tickets").size() + " support tickets");
        }
        if (payments == null) {
            return Health.down("not started");
        }
        return Health.up(payments.events().size() + " payment events, " + crm.objectIds("contacts").size()
                + " CRM contacts, " + support.objectIds("tickets").size() + " support tickets");
    }
}

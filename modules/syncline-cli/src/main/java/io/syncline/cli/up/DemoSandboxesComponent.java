package io.syncline.cli.up;

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
 * sandbox (HubSpot-compatible) and the support sandbox (Zendesk-compatible, with its own activity), started before
 * everything else, and the pipeline between them declared with the same
 * {@code syncline.yaml} model a user writes ({@link #pipeline}): the payments source connector and a signed webhook
 * endpoint into raw topics, the normalizer, the CRM contact sink, the CRM source reading the CRM sandbox, and the
 * support sink with the route "a failed payment opens one ticket for its payer" declared in its config; and the shop
 * database ({@link #shop()}, a component of its own) with its Debezium source. The credentials are drawn per data
 * directory ({@link DemoSecrets}), kept in owner-only files there and referenced, never inlined, as a user's would
 * be; the sandboxes listen on loopback unless {@link #bind} says otherwise.
 */
public final class DemoSandboxesComponent implements Component {

    public static final String WEBHOOK_ENDPOINT = "stripe";
    public static final String SOURCE_NAME = "demo-payments";
    public static final String CRM_SOURCE_NAME = "demo-crm";
    public static final String SINK_NAME = "demo-crm-contacts";
    public static final String SINK_DLQ = "dlq.sink.demo-crm-contacts";
    public static final String TICKETS_SINK_NAME = "demo-support-tickets";
    public static final String TICKETS_SINK_DLQ = "dlq.sink.demo-support-tickets";

    private final int paymentsPort;
    private final int crmPort;
    private final int supportPort;
    private final double eventsPerSecond;
    private final DemoSecrets secrets;
    private final String gatewayUrl;
    private final DemoShopComponent shop;
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
        this.paymentsPort = paymentsPort;
        this.crmPort = crmPort;
        this.supportPort = supportPort;
        this.eventsPerSecond = eventsPerSecond;
        this.secrets = DemoSecrets.inDirectory(dataDir.resolve("demo"));
        this.gatewayUrl = "http://localhost:" + gatewayPort;
        // About one business operation per event of the other sandboxes: each writes ~3 rows, outbox included.
        this.shop = new DemoShopComponent(dataDir.resolve("demo"), postgresPort, eventsPerSecond * 3, secrets);
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
     * The demo's pipeline added to {@code base}: the gateway endpoint the sandbox signs for, the payments connector
     * polling the sandbox, the CRM sink writing to the CRM sandbox (both sandboxes allow-listed explicitly: they are
     * on loopback, which the SSRF guard refuses otherwise).
     */
    public SynclineConfig pipeline(SynclineConfig base) {
        String paymentsHost = "localhost:" + paymentsPort;
        String crmHost = "localhost:" + crmPort;
        String crmUrl = "http://" + crmHost;
        // The object types the payments sandbox emits events for; any other type the template would fill goes to
        // raw.stripe.event, which the normalizer reads (and dead-letters with the reason).
        WebhookEndpointConfig endpoint = new WebhookEndpointConfig(WEBHOOK_ENDPOINT, SignatureScheme.STRIPE,
                List.of(SecretRef.file(secrets.webhookSecretFile())), "raw.stripe.{/data/object/object}",
                "raw.stripe.event", null, null, null, List.of("raw.stripe.customer", "raw.stripe.charge",
                        "raw.stripe.payment_intent", "raw.stripe.invoice", "raw.stripe.refund",
                        "raw.stripe.invoiceitem"), null, null, null);
        GatewayConfig gateway = base.gateway().withEndpoints(List.of(endpoint));
        ConnectorConfig source = new ConnectorConfig(SOURCE_NAME, "payments", 2, List.of(), Map.of(
                "key.converter", "org.apache.kafka.connect.storage.StringConverter",
                "value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter",
                "stripe.base.url", "http://" + paymentsHost,
                "auth.bearer.token", secrets.reference(DemoSecrets.PAYMENTS_API_KEY),
                "poll.interval.ms", "1000",
                // Connect creates a topic the normalizer has not (up's broker auto-creates none).
                "topic.creation.default.partitions", "12",
                "topic.creation.default.replication.factor", "-1",
                "outbound.allow.list", paymentsHost,
                "outbound.allow.plain.http", paymentsHost));
        ConnectorConfig sink = new ConnectorConfig(SINK_NAME, "crm-contacts", 1,
                List.of("canonical.finance.customer.v1", "canonical.finance.payment.v1"), Map.ofEntries(
                Map.entry("key.converter", "org.apache.kafka.connect.storage.StringConverter"),
                Map.entry("value.converter", "io.syncline.registry.connect.AvroConverter"),
                Map.entry("value.converter.schema.registry.url", ConnectorsComponent.REGISTRY_URL),
                // Headers as plain strings: the default SimpleHeaderConverter tries to parse each one as a number
                // or date, and a hex trace id costs it an exception per record on the task thread.
                Map.entry("header.converter", "org.apache.kafka.connect.storage.StringConverter"),
                Map.entry("crm.url", crmUrl),
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
        return base.withGateway(gateway).withConnectors(List.of(source, crmSource, shop.source()),
                List.of(sink, tickets));
    }

    @Override
    public String name() {
        return "Demo sandboxes";
    }

    @Override
    public void preflight(StackContext context) {
        FreePorts.requireFree(bindHost, paymentsPort, "payments sandbox", "--payments-sandbox-port");
        FreePorts.requireFree(bindHost, crmPort, "CRM sandbox", "--crm-sandbox-port");
        FreePorts.requireFree(bindHost, supportPort, "support sandbox", "--support-sandbox-port");
    }

    @Override
    public void start(StackContext context) {
        // The seed keeps the generated activity reproducible; the credentials are this data directory's own.
        payments = PaymentsSandbox.builder().host(bindHost).port(paymentsPort).seed(42)
                .apiKey(secrets.get(DemoSecrets.PAYMENTS_API_KEY)).generatorRate(eventsPerSecond)
                .startGenerator(true).build().start();
        crm = CrmSandbox.builder().host(bindHost).port(crmPort)
                .clientSecret(secrets.get(DemoSecrets.CRM_CLIENT_SECRET))
                .privateAppToken(secrets.get(DemoSecrets.CRM_PRIVATE_APP_TOKEN)).build().start();
        crm.oauth().acceptRefreshToken(secrets.get(DemoSecrets.CRM_REFRESH_TOKEN));
        support = SupportSandbox.builder().host(bindHost).port(supportPort).seed(42)
                .apiToken(secrets.get(DemoSecrets.SUPPORT_API_TOKEN)).generatorRate(eventsPerSecond)
                .startGenerator(true).build().start();
        payments.registerWebhookWithSecret(gatewayUrl + "/webhooks/" + WEBHOOK_ENDPOINT, secrets.webhookSecret());
        context.publish(StackContext.PAYMENTS_SANDBOX, payments.url());
        context.publish(StackContext.CRM_SANDBOX, crm.url());
        context.publish(StackContext.SUPPORT_SANDBOX, support.url());
    }

    @Override
    public void stop() {
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
        return payments == null ? "" : payments.url() + " (payments), " + crm.url() + " (CRM), " + support.url()
                + " (support)";
    }

    @Override
    public Health health() {
        if (payments == null) {
            return Health.down("not started");
        }
        return Health.up(payments.events().size() + " payment events, " + crm.objectIds("contacts").size()
                + " CRM contacts, " + support.objectIds("tickets").size() + " support tickets");
    }
}

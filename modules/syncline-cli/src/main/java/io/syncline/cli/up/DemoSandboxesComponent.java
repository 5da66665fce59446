package io.syncline.cli.up;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

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
 * sandbox (HubSpot-compatible) and the support sandbox (Zendesk-compatible, with its own activity; no connector reads
 * it yet), started before everything else, and the pipeline between them declared with the same
 * {@code syncline.yaml} model a user writes ({@link #pipeline}): the payments source connector and a signed webhook
 * endpoint into raw topics, the normalizer (with its customer-activity join), and the CRM contact sink reading
 * {@code canonical.finance.customer-activity.v1}; and the shop database ({@link #shop()}, a component of its own) with
 * its Debezium source. Secrets go to a file in the data directory and are referenced, never inlined, as a user's would
 * be.
 *
 * <p>With {@link #running} the payments and CRM sandboxes are not started here but used where they already run
 * ({@code syncline sandbox payments|crm} in other processes), so that they outlive a crash or a restart of {@code up}
 * as real providers do: the webhook endpoint is registered through the payments API once and reused on later starts
 * (its id and secret are kept in the data directory), and the CRM sink gets a refresh token from the CRM sandbox. The
 * support sandbox, which nothing reads yet, is not started then; the shop database still is, being up's own.
 */
public final class DemoSandboxesComponent implements Component {

    public static final String WEBHOOK_ENDPOINT = "stripe";
    public static final String SOURCE_NAME = "demo-payments";
    public static final String SINK_NAME = "demo-crm-contacts";
    public static final String SINK_DLQ = "dlq.sink.demo-crm-contacts";

    private final int paymentsPort;
    private final int crmPort;
    private final int supportPort;
    private final double eventsPerSecond;
    private final Path secrets;
    private final Path webhookSecret;
    private final Path webhookId;
    private final String gatewayUrl;
    private final DemoShopComponent shop;
    private final URI runningPayments;
    private final URI runningCrm;
    private int sinkTasks = 2;
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
        this.secrets = dataDir.resolve("demo").resolve("secrets.properties");
        this.webhookSecret = dataDir.resolve("demo").resolve("stripe-webhook.secret");
        this.webhookId = dataDir.resolve("demo").resolve("stripe-webhook.id");
        this.gatewayUrl = "http://localhost:" + gatewayPort;
        // About one business operation per event of the other sandboxes: each writes ~3 rows, outbox included.
        this.shop = new DemoShopComponent(dataDir.resolve("demo"), postgresPort, eventsPerSecond * 3);
        this.runningPayments = runningPayments;
        this.runningCrm = runningCrm;
    }

    /** The shop database, started right after the sandboxes (Components.standard). */
    public DemoShopComponent shop() {
        return shop;
    }

    /**
     * The demo against payments and CRM sandboxes that already run elsewhere ({@code syncline sandbox payments} and
     * {@code syncline sandbox crm} with their default credentials); their activity generator is theirs to set, and
     * {@code eventsPerSecond} only sets the shop database's traffic.
     */
    public static DemoSandboxesComponent running(Path dataDir, URI payments, URI crm, int gatewayPort,
            int postgresPort, double eventsPerSecond) {
        return new DemoSandboxesComponent(dataDir, payments.getPort(), crm.getPort(), 0, gatewayPort, postgresPort,
                eventsPerSecond, payments, crm);
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
        WebhookEndpointConfig endpoint = new WebhookEndpointConfig(WEBHOOK_ENDPOINT, SignatureScheme.STRIPE,
                List.of(SecretRef.file(webhookSecret)), "raw.stripe.{/data/object/object}", "raw.stripe.event",
                null, null, null);
        GatewayConfig g = base.gateway();
        GatewayConfig gateway = new GatewayConfig(g.host(), g.port(), g.publicBaseUrl(), g.maxBodyBytes(),
                g.replayWindowSeconds(), g.produceTimeoutMs(), g.retryAfterSeconds(), g.maxConnections(),
                List.of(endpoint));
        ConnectorConfig source = new ConnectorConfig(SOURCE_NAME, "payments", 2, List.of(), Map.of(
                "key.converter", "org.apache.kafka.connect.storage.StringConverter",
                "value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter",
                "stripe.base.url", "http://" + paymentsHost,
                "auth.bearer.token", secret("payments.api.key"),
                "poll.interval.ms", "1000",
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
                Map.entry("oauth2.client.secret", secret("crm.client.secret")),
                Map.entry("oauth2.refresh.token", secret("crm.refresh.token")),
                Map.entry("outbound.allow.list", crmHost),
                Map.entry("outbound.allow.plain.http", crmHost),
                Map.entry("errors.tolerance", "all"),
                Map.entry("errors.deadletterqueue.topic.name", SINK_DLQ),
                Map.entry("errors.deadletterqueue.topic.replication.factor", "1"),
                Map.entry("errors.deadletterqueue.context.headers.enable", "true")));
        return base.withGateway(gateway).withConnectors(List.of(source, shop.source()), List.of(sink));
    }

    private String secret(String key) {
        return "${file:" + secrets + ":" + key + "}";
    }

    @Override
    public String name() {
        return "Demo sandboxes";
    }

    @Override
    public void preflight(StackContext context) {
        if (runningPayments != null) {
            return; // they run elsewhere; start() finds out whether they answer
        }
        FreePorts.requireFree("localhost", paymentsPort, "payments sandbox", "--payments-sandbox-port");
        FreePorts.requireFree("localhost", crmPort, "CRM sandbox", "--crm-sandbox-port");
        FreePorts.requireFree("localhost", supportPort, "support sandbox", "--support-sandbox-port");
    }

    @Override
    public void start(StackContext context) {
        if (runningPayments != null) {
            startWithRunning(context);
            return;
        }
        payments = PaymentsSandbox.builder().port(paymentsPort).seed(42).generatorRate(eventsPerSecond)
                .startGenerator(true).build().start();
        crm = CrmSandbox.builder().port(crmPort).build().start();
        support = SupportSandbox.builder().port(supportPort).seed(42).generatorRate(eventsPerSecond)
                .startGenerator(true).build().start();
        PaymentsSandbox.WebhookEndpoint hook = payments.registerWebhook(gatewayUrl + "/webhooks/" + WEBHOOK_ENDPOINT);
        writeSecrets(payments.apiKey(), crm.clientSecret(), crm.oauth().issueRefreshToken(), hook.secret(), null);
        context.publish(StackContext.PAYMENTS_SANDBOX, payments.url());
        context.publish(StackContext.CRM_SANDBOX, crm.url());
        context.publish(StackContext.SUPPORT_SANDBOX, support.url());
    }

    /**
     * The sandboxes run elsewhere: register the gateway's webhook endpoint through the payments API unless the one
     * registered by an earlier start still exists (a second endpoint would double every delivery), and ask the CRM
     * sandbox for a refresh token for the sink.
     */
    private void startWithRunning(StackContext context) {
        String apiKey = PaymentsSandbox.DEFAULT_API_KEY;
        SandboxClient client = new SandboxClient();
        String hookUrl = gatewayUrl + "/webhooks/" + WEBHOOK_ENDPOINT;
        String secret = null;
        String id = null;
        try {
            if (Files.exists(webhookId) && Files.exists(webhookSecret)) {
                id = Files.readString(webhookId, StandardCharsets.UTF_8).strip();
                var existing = client.get(runningPayments.resolve("/v1/webhook_endpoints/" + id), apiKey);
                if (existing != null && hookUrl.equals(existing.path("url").asText())) {
                    secret = Files.readString(webhookSecret, StandardCharsets.UTF_8).strip();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the demo's webhook endpoint under " + webhookId.getParent(), e);
        }
        if (secret == null) {
            var created = client.postForm(runningPayments.resolve("/v1/webhook_endpoints"), apiKey,
                    "url=" + java.net.URLEncoder.encode(hookUrl, StandardCharsets.UTF_8) + "&enabled_events[]=*");
            id = created.path("id").asText();
            secret = created.path("secret").asText();
        }
        String refresh = client.postForm(runningCrm.resolve("/_sandbox/oauth/refresh-tokens"), null, "")
                .path("refresh_token").asText();
        writeSecrets(apiKey, CrmSandbox.DEFAULT_CLIENT_SECRET, refresh, secret, id);
        context.publish(StackContext.PAYMENTS_SANDBOX, stripSlash(runningPayments.toString()));
        context.publish(StackContext.CRM_SANDBOX, stripSlash(runningCrm.toString()));
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private void writeSecrets(String apiKey, String clientSecret, String refreshToken, String hookSecret,
            String hookId) {
        Properties p = new Properties();
        p.setProperty("payments.api.key", apiKey);
        p.setProperty("crm.client.secret", clientSecret);
        p.setProperty("crm.refresh.token", refreshToken);
        try {
            Files.createDirectories(secrets.getParent());
            try (var w = Files.newBufferedWriter(secrets, StandardCharsets.UTF_8)) {
                p.store(w, "syncline up --demo: the sandboxes' credentials, referenced from the connector configs");
            }
            Files.writeString(webhookSecret, hookSecret, StandardCharsets.UTF_8);
            if (hookId != null) {
                Files.writeString(webhookId, hookId, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the demo's secrets under " + secrets.getParent(), e);
        }
    }

    @Override
    public void stop() {
        if (payments == null) {
            return; // running elsewhere: they stay up, as providers do
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
            return runningPayments + " (payments), " + runningCrm + " (CRM), running elsewhere";
        }
        return payments == null ? "" : payments.url() + " (payments), " + crm.url() + " (CRM), " + support.url()
                + " (support)";
    }

    @Override
    public Health health() {
        if (runningPayments != null) {
            return Health.up("running elsewhere");
        }
        if (payments == null) {
            return Health.down("not started");
        }
        return Health.up(payments.events().size() + " payment events, " + crm.objectIds("contacts").size()
                + " CRM contacts, " + support.objectIds("tickets").size() + " support tickets");
    }
}

package io.syncline.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.syncline.cli.common.CliException;
import io.syncline.cli.common.ConfigOption;
import io.syncline.cli.common.DataDirOption;
import io.syncline.cli.common.HelpOption;
import io.syncline.cli.up.Component;
import io.syncline.cli.up.Components;
import io.syncline.cli.up.ConnectorProblems;
import io.syncline.cli.up.ConnectorsComponent;
import io.syncline.cli.up.DataDirLock;
import io.syncline.cli.up.DemoSandboxesComponent;
import io.syncline.cli.up.DemoShopComponent;
import io.syncline.cli.up.NormalizerComponent;
import io.syncline.cli.up.DemoSecrets;
import io.syncline.cli.up.RunningFile;
import io.syncline.cli.up.Stack;
import io.syncline.cli.up.StackContext;
import io.syncline.config.EmbeddedConfig;
import io.syncline.config.SynclineConfig;
import io.syncline.kafka.FreePorts;
import io.syncline.ops.Health;
import io.syncline.ops.PipelineStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code syncline up}: the whole stack in this process, in the foreground, until Ctrl-C. */
@Command(name = "up",
        header = "Start Syncline here (Kafka, registry, Connect, gateway, normalizer, console), until Ctrl-C.",
        description = {"Starts Syncline on this machine in one process: a Kafka broker (KRaft), the schema registry, "
                + "a Kafka Connect worker, the webhook gateway and the normalizer, on localhost, then creates or "
                + "updates the connectors of syncline.yaml's sources and sinks, and serves the web console "
                + "(http://localhost:8090, docs/console.md). Prints what runs where, then stays "
                + "in the foreground; "
                + "Ctrl-C stops everything. Data (topics, schemas, connectors, offsets) is kept in the data directory "
                + "for the next run.",
            "Services that syncline.yaml's cluster section points at (bootstrap-servers, registry-url, connect-url) "
                + "are used instead of starting embedded ones."})
final class UpCommand implements java.util.concurrent.Callable<Integer> {

    @Mixin
    HelpOption help;

    /** The line {@code up} prints once everything is ready; scripts and tests wait for it. */
    public static final String READY_LINE = "Syncline is up";

    /** Where the demo listens unless asked otherwise: loopback, reachable from this machine only. */
    static final String DEMO_BIND = "127.0.0.1";

    /** After a stop request, give up waiting for components after this long and exit anyway. */
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(20);

    @Mixin
    ConfigOption config;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--kafka-port", paramLabel = "PORT",
            description = "Port of the embedded Kafka broker (default: cluster.embedded.kafka-port, else 9092; 0 = any free port).")
    Integer kafkaPort;

    @Option(names = "--kafka-controller-port", paramLabel = "PORT",
            description = "Port of the embedded KRaft controller (default: cluster.embedded.kafka-controller-port, else 9093).")
    Integer kafkaControllerPort;

    @Option(names = "--registry-port", paramLabel = "PORT",
            description = "Port of the embedded schema registry (default: cluster.embedded.registry-port, else 8081).")
    Integer registryPort;

    @Option(names = "--connect-port", paramLabel = "PORT",
            description = "Port of the embedded Kafka Connect REST API (default: cluster.embedded.connect-port, else 8083).")
    Integer connectPort;

    @Option(names = "--gateway-port", paramLabel = "PORT",
            description = "Port of the webhook gateway (default: gateway.port, else 8080; 0 = any free port).")
    Integer gatewayPort;

    @Option(names = "--console-port", paramLabel = "PORT",
            description = "Port of the web console (default: console.port, else 8090; 0 = any free port).")
    Integer consolePort;

    @Option(names = "--demo",
            description = "Also run the payments, CRM and support sandboxes and the pipeline between the first two: "
                    + "payments connector "
                    + "and signed webhooks -> raw topics -> normalizer -> canonical topics -> CRM contact sink; and "
                    + "the shop's PostgreSQL database captured by Debezium into cdc.shop.* (docs/demo.md).")
    boolean demo;

    @Option(names = "--demo-rate", paramLabel = "EVENTS_PER_SECOND", defaultValue = "2",
            description = "With --demo: payment activity the sandbox generates per second (default: ${DEFAULT-VALUE}).")
    double demoRate;

    @Option(names = "--payments-sandbox-port", paramLabel = "PORT", defaultValue = "12111",
            description = "With --demo: port of the payments sandbox (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int paymentsSandboxPort;

    @Option(names = "--crm-sandbox-port", paramLabel = "PORT", defaultValue = "12112",
            description = "With --demo: port of the CRM sandbox (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int crmSandboxPort;

    @Option(names = "--support-sandbox-port", paramLabel = "PORT", defaultValue = "12113",
            description = "With --demo: port of the support (Zendesk-compatible) sandbox (default: ${DEFAULT-VALUE}; "
                    + "0 = any free port).")
    int supportSandboxPort;

    @Option(names = "--postgres-port", paramLabel = "PORT", defaultValue = "15432",
            description = "With --demo: port of the shop's PostgreSQL database (default: ${DEFAULT-VALUE}; 0 = any free "
                    + "port).")
    int postgresPort;

    @Option(names = "--payments-sandbox-url", paramLabel = "URL",
            description = "With --demo: use the payments sandbox running there (syncline sandbox payments) instead "
                    + "of starting one, with the credentials it issues, so it outlives this process as a provider "
                    + "would; needs --crm-sandbox-url too. Its own --rate sets the payment activity; --demo-rate then "
                    + "sets only the support sandbox's and the shop's, which still start here.")
    URI paymentsSandboxUrl;

    @Option(names = "--crm-sandbox-url", paramLabel = "URL",
            description = "With --demo: use the CRM sandbox running there (syncline sandbox crm) instead of "
                    + "starting one, with the credentials it issues; the CRM source and the contact sink read and "
                    + "write it there. Needs --payments-sandbox-url too.")
    URI crmSandboxUrl;

    @Option(names = "--demo-sink-tasks", paramLabel = "N", defaultValue = "2",
            description = "With --demo: tasks.max of the CRM contact sink (default: ${DEFAULT-VALUE}).")
    int demoSinkTasks;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Interface the webhook gateway and, with --demo, the sandboxes listen on, e.g. 0.0.0.0 to "
                    + "reach them from other machines (default: with --demo 127.0.0.1, so that nobody else can post "
                    + "webhooks signed with the demo's secret, unless syncline.yaml sets gateway.host; else "
                    + "gateway.host, default 0.0.0.0). Kafka, the registry and Connect always listen on localhost.")
    String bind;

    @Mixin
    PluginPathOption pluginPath;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        long t0 = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        SynclineConfig cfg = config.load();
        EmbeddedConfig embedded = effectiveEmbedded(cfg.cluster().embedded());
        Path dir = dataDir.resolve(config, cfg);

        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(dir);
        } catch (RuntimeException e) {
            throw new CliException(e.getMessage(), e);
        }
        Path logFile = dir.resolve("logs").resolve("syncline.log");
        Logging.toFile(logFile);

        int gwPort = gatewayPort != null ? gatewayPort : cfg.gateway().port();
        checkPort("--gateway-port", gwPort);
        // Resolved now: the demo's sandbox must know where to send webhooks before the gateway starts.
        cfg = cfg.withGateway(cfg.gateway().withPort(gwPort == 0 ? FreePorts.pick() : gwPort));
        cfg = cfg.withGateway(cfg.gateway().withHost(gatewayHost(bind, demo, declaresGatewayHost(),
                cfg.gateway().host())));
        DemoSandboxesComponent demoSandboxes = null;
        if ((paymentsSandboxUrl == null) != (crmSandboxUrl == null) || (paymentsSandboxUrl != null && !demo)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--payments-sandbox-url and "
                    + "--crm-sandbox-url go together, with --demo (got " + (paymentsSandboxUrl == null
                    ? "--crm-sandbox-url" : "--payments-sandbox-url") + (demo ? " alone" : " without --demo") + ")");
        }
        if (demoSinkTasks < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--demo-sink-tasks: expected 1 or more, got "
                    + demoSinkTasks);
        }
        if (demo) {
            int postgres = portOrFree("--postgres-port", postgresPort);
            int support = portOrFree("--support-sandbox-port", supportSandboxPort);
            demoSandboxes = paymentsSandboxUrl != null
                    ? DemoSandboxesComponent.running(dir, paymentsSandboxUrl, crmSandboxUrl, support,
                            cfg.gateway().port(), postgres, demoRate)
                    : new DemoSandboxesComponent(dir, portOrFree("--payments-sandbox-port", paymentsSandboxPort),
                            portOrFree("--crm-sandbox-port", crmSandboxPort), support, cfg.gateway().port(), postgres,
                            demoRate);
            cfg = demoSandboxes.sinkTasks(demoSinkTasks).bind(bind != null ? bind : DEMO_BIND).pipeline(cfg);
        }
        if (consolePort != null) {
            checkPort("--console-port", consolePort);
            cfg = cfg.withConsole(cfg.console().withPort(consolePort));
        }
        StackContext context = new StackContext(cfg, embedded, dir, pluginPath.directories());
        Stack stack = new Stack(Components.standard(context, config.resolve("."), out, demoSandboxes, config.file()),
                context);
        ProgressPrinter progress = new ProgressPrinter(out);
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<PipelineStats> pipelineStats = new java.util.concurrent.atomic.AtomicReference<>();
        Thread hook = new Thread(() -> {
            PipelineStats ps = pipelineStats.get();
            if (ps != null) {
                ps.close();
            }
            stopWithDeadline(stack, progress, out);
            RunningFile.delete(dir);
            ConnectorProblems.delete(dir);
            lock.close();
            out.println("Syncline stopped.");
            out.flush();
            stopped.countDown();
            Logging.shutdown();
        }, "syncline-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        out.println("Syncline " + SynclineCli.version() + ", data in " + dir);
        out.flush();
        try {
            stack.start(progress);
        } catch (Stack.StoppedWhileStartingException e) {
            stopped.await();
            return 0;
        } catch (RuntimeException e) {
            removeHook(hook);
            lock.close();
            boolean started = e instanceof Stack.ComponentStartException;
            throw new CliException(e.getMessage() + (started ? "\n(details in " + logFile + ")" : ""), e);
        }

        out.println();
        out.print(table(stack.components()).render());
        out.println();
        out.println("data dir  " + dir);
        out.println("log       " + logFile);
        if (context.pluginPath().isEmpty()) {
            out.println("plugins   none (run through ./syncline to get the distribution's plugins/, or pass --plugin-path)");
        } else {
            out.println("plugins   " + context.pluginPath().stream().map(Path::toString).collect(Collectors.joining(", ")));
        }
        List<String> refused = stack.components().stream().filter(c -> c instanceof ConnectorsComponent)
                .flatMap(c -> ((ConnectorsComponent) c).problems().stream()).toList();
        if (!refused.isEmpty()) {
            // The rest runs: one bad connector must not take the stack down (docs/pipeline.md).
            out.println();
            refused.forEach(line -> out.println("problem   " + line));
            out.println("          fix syncline.yaml, then run ./syncline apply (or restart up); ./syncline status "
                    + "lists these too");
        }
        RunningFile.write(dir, context.endpoints());
        NormalizerComponent normalizerComponent = stack.components().stream()
                .filter(NormalizerComponent.class::isInstance).map(NormalizerComponent.class::cast).findFirst()
                .orElse(null);
        pipelineStats.set(PipelineStats.start(dir, normalizerComponent == null ? Map::of
                : normalizerComponent::figures));
        if (demo) {
            printDemo(out, context, demoSandboxes);
        }
        out.println();
        out.println(READY_LINE + " (ready in " + seconds(Duration.ofNanos(System.nanoTime() - t0))
                + "). Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    private int portOrFree(String flag, int port) {
        checkPort(flag, port);
        return port == 0 ? FreePorts.pick() : port;
    }

    /**
     * Where the gateway listens: {@code --bind}; else, for the demo, gateway.host when syncline.yaml sets it and
     * loopback when not (the demo's webhook secret must not sign requests from anywhere else); else gateway.host.
     */
    static String gatewayHost(String bind, boolean demo, boolean declaredInFile, String configured) {
        if (bind != null) {
            return bind;
        }
        return demo && !declaredInFile ? DEMO_BIND : configured;
    }

    /** Whether syncline.yaml sets gateway.host itself (then the demo listens where it says). */
    private boolean declaresGatewayHost() {
        if (!java.nio.file.Files.exists(config.file())) {
            return false;
        }
        return io.syncline.config.SynclineConfigLoader.check(config.file()).lines().containsKey("gateway.host");
    }

    /** Where to look while the demo runs. */
    private static void printDemo(PrintWriter out, StackContext context, DemoSandboxesComponent demo) {
        Map<String, String> e = context.endpoints();
        out.println();
        out.println("demo      payments sandbox " + e.get(StackContext.PAYMENTS_SANDBOX) + " generates payment activity;");
        out.println("          the connector " + DemoSandboxesComponent.SOURCE_NAME + " polls it and it signs webhooks to "
                + e.get(StackContext.GATEWAY) + "/webhooks/" + DemoSandboxesComponent.WEBHOOK_ENDPOINT + ";");
        out.println("          the normalizer writes canonical.finance.*.v1 and joins each payer's activity; the sink "
                + DemoSandboxesComponent.SINK_NAME + " upserts contacts in the CRM sandbox " + e.get(StackContext.CRM_SANDBOX));
        out.println("          the sink " + DemoSandboxesComponent.TICKETS_SINK_NAME + " opens a ticket per failed payment "
                + "in the support sandbox " + e.get(StackContext.SUPPORT_SANDBOX) + " (Zendesk API v2);");
        out.println("          the connector " + DemoSandboxesComponent.SUPPORT_SOURCE_NAME + " exports its tickets, users "
                + "and comments and it signs webhooks (Zendesk) to " + e.get(StackContext.GATEWAY) + "/webhooks/"
                + DemoSandboxesComponent.SUPPORT_WEBHOOK_ENDPOINT + "; both end, once per change, in "
                + "canonical.support.*.v1");
        out.println("          the connector " + DemoSandboxesComponent.CRM_SOURCE_NAME + " reads the CRM sandbox's "
                + "contacts, companies and deals into raw.hubspot.contact, .company and .deal;");
        out.println("          the CRM sandbox generates CRM activity and signs webhooks (HubSpot v3) to "
                + e.get(StackContext.GATEWAY) + "/webhooks/" + DemoSandboxesComponent.CRM_WEBHOOK_ENDPOINT
                + "; both paths end, once per change, in canonical.crm.*.v1");
        out.println("shop      PostgreSQL: psql " + e.get(StackContext.SHOP_DATABASE) + " (customers, orders, outbox);");
        out.println("          the connector " + DemoShopComponent.SOURCE_NAME + " (Debezium) captures them into "
                + DemoShopComponent.TOPIC_PREFIX + ".customers, .orders and .outbox.<aggregate>");
        if (e.containsKey(StackContext.CONSOLE)) {
            out.println("watch     " + e.get(StackContext.CONSOLE) + " (the console: pipeline live, dead letters, ...)");
            out.println("          ./syncline status --watch");
        } else {
            out.println("watch     ./syncline status --watch");
        }
        out.println("          ./syncline tail raw.stripe.charge");
        out.println("          ./syncline tail canonical.finance.payment.v1");
        out.println("          ./syncline tail canonical.finance.customer-activity.v1");
        out.println("          ./syncline tail raw.hubspot.contact");
        out.println("          ./syncline tail canonical.crm.contact.v1");
        out.println("          ./syncline tail canonical.support.ticket.v1");
        out.println("          ./syncline tail " + DemoShopComponent.TOPIC_PREFIX + ".customers");
        // The token is read from the owner-only file when the command runs, so it never appears on the terminal.
        out.println("          curl -H \"Authorization: Bearer $(sed -n 's/^" + DemoSecrets.CRM_PRIVATE_APP_TOKEN
                + "=//p' " + demo.secrets().file() + ")\" '" + e.get(StackContext.CRM_SANDBOX)
                + "/crm/v3/objects/contacts?properties=email,syncline_last_payment_amount,syncline_last_payment_date'");
    }

    private EmbeddedConfig effectiveEmbedded(EmbeddedConfig fromFile) {
        EmbeddedConfig e = new EmbeddedConfig(fromFile.dataDir(),
                kafkaPort != null ? kafkaPort : fromFile.kafkaPort(),
                kafkaControllerPort != null ? kafkaControllerPort : fromFile.kafkaControllerPort(),
                registryPort != null ? registryPort : fromFile.registryPort(),
                connectPort != null ? connectPort : fromFile.connectPort());
        checkPort("--kafka-port", e.kafkaPort());
        checkPort("--kafka-controller-port", e.kafkaControllerPort());
        checkPort("--registry-port", e.registryPort());
        checkPort("--connect-port", e.connectPort());
        return e;
    }

    private void checkPort(String flag, int port) {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    flag + ": expected a port between 0 and 65535 (0 = any free port), got " + port);
        }
    }

    static Table table(List<Component> components) {
        Table table = Table.of("COMPONENT", "ADDRESS", "MODE", "STATUS");
        for (Component c : components) {
            Health health = c.health();
            table.row(c.name(), c.address(), c.mode(), health);
        }
        return table;
    }

    /**
     * Stops the stack; if a component hangs, exits anyway after {@link #STOP_DEADLINE}. Kafka recovers an unclean
     * log on the next start, so a forced exit loses no acknowledged data.
     */
    private static void stopWithDeadline(Stack stack, ProgressPrinter progress, PrintWriter out) {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "syncline-stop-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.schedule(() -> {
            out.println();
            out.println("Syncline did not stop within " + STOP_DEADLINE.toSeconds() + " s; exiting anyway "
                    + "(Kafka recovers its log on the next start).");
            out.flush();
            Runtime.getRuntime().halt(1);
        }, STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        try {
            stack.stop(progress);
        } finally {
            watchdog.shutdownNow();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook runs and finds nothing started.
        }
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** Prints "starting Kafka broker... ready in 3.1 s" and the matching stop lines. */
    private static final class ProgressPrinter implements Stack.Listener {
        private final PrintWriter out;

        ProgressPrinter(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void starting(Component component) {
            out.print("starting " + component.name() + "... ");
            out.flush();
        }

        @Override
        public void started(Component component, Duration took) {
            out.println("ready in " + seconds(took));
            out.flush();
        }

        @Override
        public void startFailed(Component component, Exception error) {
            out.println("failed");
            out.flush();
        }

        @Override
        public void stopping(Component component) {
            out.print("stopping " + component.name() + "... ");
            out.flush();
        }

        @Override
        public void stopped(Component component, Duration took) {
            out.println("stopped in " + seconds(took));
            out.flush();
        }

        @Override
        public void stopFailed(Component component, Exception error) {
            out.println("failed: " + SynclineCli.describe(error));
            out.flush();
        }
    }
}

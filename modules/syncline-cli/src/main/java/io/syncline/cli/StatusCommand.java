package io.syncline.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.syncline.cli.common.HelpOption;
import io.syncline.cli.plan.PostgresCdcSlots;
import io.syncline.cli.up.ConnectorProblems;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.ops.Health;
import io.syncline.ops.KafkaTopics;
import io.syncline.ops.PipelineStats;
import io.syncline.ops.Probes;
import io.syncline.ops.Registry;
import io.syncline.registry.client.SchemaRegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code syncline status}: health of each component, then topics, connectors and schemas. */
@Command(name = "status", header = "Health of each component, the pipeline per stage, topics, connectors, schemas.",
        description = "Shows the health of Kafka, the schema registry and Kafka Connect; the pipeline per stage "
                + "(sources, raw topics, normalizer, canonical topics, sinks) with records, consumer lag, dead letters "
                + "and end-to-end latency (p50/p99 of the last minute, from Syncline receiving a change to the target "
                + "acknowledging it); the request budget each provider account's connectors share (limit, used in "
                + "the window, waits, 429s); then topics (partitions, records), connectors (state of each task, and "
                + "\"database down\" for a PostgreSQL CDC source whose database does not answer) and registry "
                + "subjects. --watch refreshes it live. Exit code 1 when a component is down.")
final class StatusCommand implements Callable<Integer> {

    /** How long status waits for a CDC source's database; a database that takes longer counts as down. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Option(names = "--watch", description = "Refresh every --interval seconds until Ctrl-C.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "Seconds between refreshes with --watch (default: ${DEFAULT-VALUE}).")
    int interval;

    @Override
    public Integer call() throws InterruptedException {
        Logging.off();
        if (!watch) {
            return once();
        }
        PrintWriter out = spec.commandLine().getOut();
        while (true) {
            out.print("\033[H\033[2J"); // clear the terminal, as watch(1) does
            out.println("syncline status, every " + interval + " s (Ctrl-C to stop)  " + java.time.LocalTime.now()
                    .withNano(0));
            once();
            Thread.sleep(Math.max(1, interval) * 1000L);
        }
    }

    private int once() {
        ConnectionOptions.Endpoints endpoints = connection.resolve();
        PrintWriter out = spec.commandLine().getOut();
        Health kafka = Probes.kafka(endpoints.bootstrapServers());
        Health registry = Probes.registry(endpoints.registryUrl());
        Health connect = Probes.connect(endpoints.connectUrl());
        out.print(Table.of("COMPONENT", "ADDRESS", "STATUS")
                .row("Kafka", endpoints.bootstrapServers(), kafka)
                .row("Schema registry", endpoints.registryUrl(), registry)
                .row("Kafka Connect", endpoints.connectUrl(), connect)
                .render());
        List<KafkaTopics.TopicInfo> topics = kafka.up() ? KafkaTopics.list(endpoints.bootstrapServers(), false)
                : List.of();
        List<ConnectRestClient.ConnectorStatus> statuses = List.of();
        ConnectRestClient rest = new ConnectRestClient(endpoints.connectUrl());
        if (kafka.up() && connect.up()) {
            statuses = rest.statuses();
            section(out, "Pipeline", PipelineView.table(endpoints, topics, statuses, rest), "nothing yet");
            if (endpoints.fromRunningUp()) {
                List<PipelineStats.AccountBudgetStats> budgets = PipelineStats.accountBudgets(endpoints.dataDir())
                        .orElse(List.of());
                if (!budgets.isEmpty()) {
                    section(out, "Account budgets", accountBudgets(budgets), "none");
                }
            }
        }
        if (kafka.up()) {
            section(out, "Topics", TopicsCommand.table(topics), "no topics yet");
        }
        if (connect.up()) {
            List<ConnectorProblems.Refusal> refused = endpoints.fromRunningUp()
                    ? ConnectorProblems.read(endpoints.dataDir()) : List.of();
            Map<String, String> databasesDown = databasesDown(statuses, rest);
            section(out, "Connectors", connectors(statuses, refused, databasesDown), "no connectors yet");
            failures(statuses).forEach(out::println);
            databasesDown.forEach((name, line) -> out.println("  " + line));
            refusals(refused).forEach(out::println);
        }
        if (registry.up()) {
            try (SchemaRegistryClient client = Registry.client(endpoints.registryUrl())) {
                section(out, "Schemas", SchemasCommand.table(client), "no schemas yet");
            }
        }
        out.flush();
        if (kafka.up() && registry.up() && connect.up()) {
            return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("error: not every component answers (addresses from " + endpoints.source() + "); "
                + ConnectionOptions.notRunningHint("services", "--bootstrap-servers/--registry-url/--connect-url"));
        err.flush();
        return SynclineCli.PROBLEMS;
    }

    private static void section(PrintWriter out, String title, Table table, String empty) {
        out.println();
        out.println(title);
        out.print(table.isEmpty() ? "  (" + empty + ")\n" : table.render());
    }

    /**
     * One row per provider account whose request window connectors share (docs/http.md, "Shared account budgets"):
     * its limit, what the current window has spent, how often a request waited for it, the 429s the provider gave,
     * and who shares it.
     */
    static Table accountBudgets(List<PipelineStats.AccountBudgetStats> budgets) {
        Table table = Table.of("ACCOUNT", "LIMIT", "USED (window)", "WAITS", "429s", "SHARED BY");
        for (PipelineStats.AccountBudgetStats b : budgets) {
            table.row(b.account(), b.limit() + " per " + seconds(b.windowMillis()), String.valueOf(b.used()),
                    String.valueOf(b.waits()), String.valueOf(b.rateLimited()), String.join(", ", b.users()));
        }
        return table;
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /** One line per failed task: the first line of its error, and where the rest is. */
    static List<String> failures(List<ConnectRestClient.ConnectorStatus> statuses) {
        List<String> lines = new ArrayList<>();
        for (ConnectRestClient.ConnectorStatus s : statuses) {
            for (ConnectRestClient.TaskStatus t : s.tasks()) {
                if (t.trace() != null) {
                    lines.add("  " + s.name() + " task " + t.id() + " " + t.state() + ": " + t.trace().lines().findFirst()
                            .orElse("") + " (full trace: GET /connectors/" + s.name() + "/status)");
                }
            }
        }
        return lines;
    }

    /**
     * Every connector with the state of each task; the connectors of syncline.yaml that the running {@code up} could
     * not create or update are rows too, so a refused one is not simply missing.
     */
    static Table connectors(List<ConnectRestClient.ConnectorStatus> statuses,
                            List<ConnectorProblems.Refusal> refused) {
        return connectors(statuses, refused, Map.of());
    }

    /**
     * The PostgreSQL CDC sources whose tasks run while their database does not answer, each with a line saying so.
     * Connect keeps a Debezium task RUNNING while it reconnects, and Debezium's own signal ({@code Connected} on the
     * worker's JMX) is out of reach of this process and also false during an ordinary restart; so {@code status} asks
     * the database itself, with the connector's stored settings and its password reference resolved as the worker
     * resolves it (file and env providers). Only running tasks are probed: a failed or paused one says enough.
     */
    static Map<String, String> databasesDown(List<ConnectRestClient.ConnectorStatus> statuses,
                                             ConnectRestClient rest) {
        Map<String, String> down = new java.util.LinkedHashMap<>();
        boolean anyRunning = statuses.stream().anyMatch(s -> s.tasks().stream()
                .anyMatch(t -> "RUNNING".equals(t.state())));
        if (!anyRunning) {
            return down;
        }
        for (ConnectRestClient.ConnectorInfo info : rest.connectorInfos()) {
            boolean running = info.status() != null && info.status().tasks().stream()
                    .anyMatch(t -> "RUNNING".equals(t.state()));
            if (!running || !PostgresCdcSlots.holdsSlot(info.config())) {
                continue;
            }
            PostgresCdcSlots.probe(info.config(), PROBE_TIMEOUT).ifPresent(why -> down.put(info.name(),
                    info.name() + ": database down: " + PostgresCdcSlots.where(info.config()) + " does not answer "
                    + "(" + why + "); the task stays RUNNING and reconnects every "
                    + info.config().getOrDefault("retriable.restart.connector.wait.ms", "10000") + " ms, then resumes "
                    + "from its replication slot (docs/connectors/cdc.md#when-the-database-is-down)"));
        }
        return down;
    }

    static Table connectors(List<ConnectRestClient.ConnectorStatus> statuses,
                            List<ConnectorProblems.Refusal> refused, Map<String, String> databasesDown) {
        Table table = Table.of("CONNECTOR", "TYPE", "STATE", "TASKS");
        for (ConnectRestClient.ConnectorStatus s : statuses) {
            String tasks = s.tasks().isEmpty() ? "-"
                    : s.tasks().stream().map(t -> t.id() + ":" + t.state()).collect(Collectors.joining(" "));
            java.util.Optional<ConnectorProblems.Refusal> r = refused.stream()
                    .filter(x -> x.name().equals(s.name())).findFirst();
            String state = r.isPresent() ? s.state() + ", " + r.get().state() : s.state();
            table.row(s.name(), s.type(), databasesDown.containsKey(s.name()) ? state + ", database down" : state,
                    tasks);
        }
        refused.stream().filter(r -> !r.onCluster())
                .forEach(r -> table.row(r.name(), r.type(), r.state(), "-"));
        return table;
    }

    /** Why each refused connector was refused, one line per reason the worker gave. */
    static List<String> refusals(List<ConnectorProblems.Refusal> refused) {
        List<String> lines = new ArrayList<>();
        for (ConnectorProblems.Refusal r : refused) {
            r.reasons().forEach(reason -> lines.add("  " + r.name() + " (" + r.at() + " of syncline.yaml) refused by "
                    + "the Connect worker: " + reason));
        }
        if (!lines.isEmpty()) {
            lines.add("  fix syncline.yaml, then run syncline apply (syncline plan shows what it will do)");
        }
        return lines;
    }
}

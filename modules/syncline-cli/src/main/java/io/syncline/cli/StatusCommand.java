package io.syncline.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.syncline.cli.cluster.KafkaTopics;
import io.syncline.cli.cluster.Probes;
import io.syncline.cli.cluster.Registry;
import io.syncline.cli.up.Health;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.registry.client.SchemaRegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code syncline status}: health of each component, then topics, connectors and schemas. */
@Command(name = "status", header = "Health of each component, topics, connectors and schemas.",
        description = "Shows the health of Kafka, the schema registry and Kafka Connect, then topics (partitions, "
                + "records), connectors (state of each task) and registry subjects. Exit code 1 when a component is down.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Logging.off();
        ClusterOptions.Endpoints endpoints = cluster.resolve();
        PrintWriter out = spec.commandLine().getOut();
        Health kafka = Probes.kafka(endpoints.bootstrapServers());
        Health registry = Probes.registry(endpoints.registryUrl());
        Health connect = Probes.connect(endpoints.connectUrl());
        out.print(Table.of("COMPONENT", "ADDRESS", "STATUS")
                .row("Kafka", endpoints.bootstrapServers(), kafka)
                .row("Schema registry", endpoints.registryUrl(), registry)
                .row("Kafka Connect", endpoints.connectUrl(), connect)
                .render());
        if (kafka.up()) {
            section(out, "Topics", TopicsCommand.table(KafkaTopics.list(endpoints.bootstrapServers(), false)), "no topics yet");
        }
        if (connect.up()) {
            List<ConnectRestClient.ConnectorStatus> statuses = new ConnectRestClient(endpoints.connectUrl()).statuses();
            section(out, "Connectors", connectors(statuses), "no connectors yet");
            failures(statuses).forEach(out::println);
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
                + ClusterOptions.notRunningHint("services", "--bootstrap-servers/--registry-url/--connect-url"));
        err.flush();
        return SynclineCli.PROBLEMS;
    }

    private static void section(PrintWriter out, String title, Table table, String empty) {
        out.println();
        out.println(title);
        out.print(table.isEmpty() ? "  (" + empty + ")\n" : table.render());
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

    static Table connectors(List<ConnectRestClient.ConnectorStatus> statuses) {
        Table table = Table.of("CONNECTOR", "TYPE", "STATE", "TASKS");
        for (ConnectRestClient.ConnectorStatus s : statuses) {
            String tasks = s.tasks().isEmpty() ? "-"
                    : s.tasks().stream().map(t -> t.id() + ":" + t.state()).collect(Collectors.joining(" "));
            table.row(s.name(), s.type(), s.state(), tasks);
        }
        return table;
    }
}

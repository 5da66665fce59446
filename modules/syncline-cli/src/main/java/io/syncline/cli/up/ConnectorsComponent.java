package io.syncline.cli.up;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.syncline.cli.plan.Applier;
import io.syncline.cli.plan.Change;
import io.syncline.cli.plan.Cluster;
import io.syncline.cli.plan.Desired;
import io.syncline.cli.plan.Placeholders;
import io.syncline.cli.plan.Plan;
import io.syncline.cli.plan.Planner;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.ops.Health;

/**
 * The {@code sources:} and {@code sinks:} of syncline.yaml, applied to the Connect cluster published as
 * {@link StackContext#CONNECT} through the same code as {@code syncline apply} ({@link Planner}, {@link Applier}):
 * created, updated when their configuration changed, paused, resumed or stopped as declared; an unchanged connector
 * is left running as it is, and connectors that are not declared are left alone.
 *
 * <p>Every connector is validated by the worker first, and one the worker refuses (a sink whose URL the SSRF guard
 * refuses, a missing plugin, a bad setting) does not stop the stack: the others are applied, and the refused ones
 * are listed with every reason after {@code up}'s table and in {@code syncline status}
 * ({@link ConnectorProblems}).
 */
public final class ConnectorsComponent implements Component {

    /** In a connector setting, replaced by the schema registry's URL (embedded on a port known only at start). */
    public static final String REGISTRY_URL = Placeholders.REGISTRY_URL;
    /** In a connector setting, replaced by Kafka's bootstrap servers. */
    public static final String BOOTSTRAP_SERVERS = Placeholders.BOOTSTRAP_SERVERS;

    private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(60);

    private final PrintWriter out;
    private ConnectRestClient rest;
    private final List<String> names = new ArrayList<>();
    private final List<ConnectorProblems.Refusal> refused = new ArrayList<>();

    /** @param out where to say what was created or updated */
    public ConnectorsComponent(PrintWriter out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public String name() {
        return "Connectors";
    }

    @Override
    public void start(StackContext context) throws InterruptedException {
        String kafka = context.endpoint(StackContext.KAFKA);
        String registry = context.endpoint(StackContext.REGISTRY);
        String connect = context.endpoint(StackContext.CONNECT);
        rest = new ConnectRestClient(connect);
        Desired desired = Desired.connectorsOnly(context.config(), new Placeholders(registry, kafka));
        try (Cluster cluster = new Cluster(new Cluster.Address(kafka, registry, connect, "this syncline up"))) {
            Plan plan = Planner.connectors(desired, cluster);
            List<String> existing = rest.connectors();
            for (Desired.Connector c : desired.connectors()) {
                List<String> reasons = plan.refused().get(c.name());
                if (reasons != null) {
                    refuse(c, existing, reasons);
                    continue;
                }
                // One connector at a time, so that a change the worker refuses although it validated (a race with
                // another client, a worker that changed meanwhile) stops only that connector.
                List<Change> mine = plan.changes().stream().filter(ch -> ch.name().equals(c.name())).toList();
                Applier.Result result = Applier.apply(new Plan(plan.address(), mine, Map.of(), "", List.of(),
                        List.of(), Map.of()), cluster, ch -> { });
                if (!result.ok()) {
                    refuse(c, existing, List.of(result.error()));
                    continue;
                }
                names.add(c.name());
                out.print("[" + verb(mine) + " " + c.name() + "] ");
                out.flush();
            }
        }
        ConnectorProblems.write(context.dataDir(), refused);
        long deadline = System.nanoTime() + RUNNING_TIMEOUT.toNanos();
        for (String name : names) {
            while (System.nanoTime() < deadline && !settled(name)) {
                Thread.sleep(250); // polling a remote REST API for a state change; nothing to wait on locally
            }
        }
    }

    private void refuse(Desired.Connector c, List<String> existing, List<String> reasons) {
        refused.add(new ConnectorProblems.Refusal(c.name(), c.at(), c.sink() ? "sink" : "source",
                existing.contains(c.name()), reasons));
        out.print("[refused " + c.name() + "] ");
        out.flush();
    }

    private static String verb(List<Change> changes) {
        if (changes.isEmpty()) {
            return "unchanged";
        }
        String summary = changes.get(0).summary();
        if (changes.get(0).symbol().equals("+")) {
            return "created";
        }
        return summary.startsWith("update") ? "updated" : summary.substring(0, summary.indexOf(' ')) + "d";
    }

    /**
     * The connectors the worker refused, one line per reason, for the lines {@code up} prints after its table;
     * empty when every connector was applied.
     */
    public List<String> problems() {
        List<String> lines = new ArrayList<>();
        for (ConnectorProblems.Refusal r : refused) {
            lines.add(r.type() + " " + r.name() + " (" + r.at() + ") " + (r.onCluster()
                    ? "was not updated; its previous config still runs" : "was not created") + ": the Connect "
                    + "worker refuses it:");
            r.reasons().forEach(reason -> lines.add("  " + reason));
        }
        return lines;
    }

    private boolean settled(String name) {
        try {
            ConnectRestClient.ConnectorStatus s = rest.status(name);
            if (s.state().equals("FAILED") || s.tasks().stream().anyMatch(t -> t.state().equals("FAILED"))) {
                return true;
            }
            if (s.state().equals("PAUSED") || s.state().equals("STOPPED")) {
                return true;
            }
            return s.state().equals("RUNNING") && !s.tasks().isEmpty()
                    && s.tasks().stream().allMatch(t -> t.state().equals("RUNNING"));
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    @Override
    public void stop() {
        // Connectors live on in Connect's config topic; the worker stops their tasks.
    }

    @Override
    public String address() {
        List<String> all = new ArrayList<>(names);
        refused.forEach(r -> all.add(r.name()));
        return all.isEmpty() ? "none declared" : String.join(", ", all);
    }

    @Override
    public Health health() {
        if (names.isEmpty() && refused.isEmpty()) {
            return Health.up("add sources: and sinks: to syncline.yaml");
        }
        List<String> failed = new ArrayList<>();
        int running = 0;
        int held = 0;
        for (String name : names) {
            try {
                ConnectRestClient.ConnectorStatus s = rest.status(name);
                long failedTasks = s.tasks().stream().filter(t -> t.state().equals("FAILED")).count();
                if (s.state().equals("RUNNING") && failedTasks == 0) {
                    running++;
                } else if (s.state().equals("PAUSED") || s.state().equals("STOPPED")) {
                    held++; // as declared in syncline.yaml
                } else {
                    failed.add(name + " " + s.state() + (failedTasks > 0 ? " (" + failedTasks + " task(s) failed)" : ""));
                }
            } catch (RuntimeException e) {
                failed.add(name + ": " + e.getMessage());
            }
        }
        refused.forEach(r -> failed.add(r.name() + " refused"));
        String ok = running + " running" + (held > 0 ? ", " + held + " paused or stopped" : "");
        return failed.isEmpty() ? Health.up(ok) : Health.down(ok + "; " + String.join("; ", failed)
                + " - see syncline status");
    }
}

package io.syncline.cli;

import io.syncline.cli.common.HelpOption;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import io.syncline.cli.plan.Applier;
import io.syncline.cli.plan.Change;
import io.syncline.cli.plan.Cluster;
import io.syncline.cli.plan.Plan;
import io.syncline.cli.plan.Planner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code syncline apply}: brings a running cluster to what syncline.yaml declares. */
@Command(name = "apply", header = "Bring a cluster to what syncline.yaml declares (topics, schemas, connectors).",
        description = {"Makes the plan `syncline plan` shows and carries it out, in order: topics, then schemas, "
                + "then connectors, one change at a time. A plan with a problem (a cluster that does not answer, a "
                + "topic Kafka refuses, a schema the registry finds incompatible, a connector config the Connect "
                + "worker refuses) changes nothing. A change that fails stops apply there; it prints what was "
                + "applied and what was not. Running it again is safe: what is already as declared is left alone.",
            "Secrets reach connectors only as config provider references ($${env:NAME}, $${file:/path:key}) "
                + "that the Connect worker resolves; apply never sends a secret value. Exit code 0 when everything "
                + "was applied, 1 otherwise."})
final class ApplyCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    PlanOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Logging.off();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Cluster cluster = options.cluster()) {
            Plan plan = Planner.plan(options.desired(cluster), cluster, options.prune);
            plan.render(out, err);
            if (!plan.valid()) {
                err.println("nothing was applied");
                err.flush();
                return SynclineCli.PROBLEMS;
            }
            if (!plan.hasChanges()) {
                return 0;
            }
            out.println();
            out.println("Applying:");
            out.flush();
            Applier.Result result = Applier.apply(plan, cluster, c -> {
                out.println("  " + c.done());
                out.flush();
            });
            if (result.ok()) {
                out.println();
                out.println("Applied: " + plan.count() + ". `syncline status` shows the connectors' tasks.");
                out.flush();
                return 0;
            }
            err.println("error: " + result.failed().todo() + " failed: " + result.error());
            err.println("applied (" + result.applied().size() + "): " + list(result.applied(), true));
            err.println("not applied (" + result.notApplied().size() + "): " + list(result.notApplied(), false));
            err.println("fix the cause and run syncline apply again; it plans from what the cluster then holds");
            err.flush();
            return SynclineCli.PROBLEMS;
        }
    }

    private static String list(List<Change> changes, boolean done) {
        return changes.isEmpty() ? "none"
                : String.join("; ", changes.stream().map(c -> done ? c.done() : c.todo()).toList());
    }
}

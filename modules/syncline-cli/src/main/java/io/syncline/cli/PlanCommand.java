package io.syncline.cli;

import io.syncline.cli.common.HelpOption;
import java.util.concurrent.Callable;

import io.syncline.cli.plan.Cluster;
import io.syncline.cli.plan.Plan;
import io.syncline.cli.plan.Planner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code syncline plan}: what {@code apply} would change on a running cluster, as a readable diff. */
@Command(name = "plan", header = "Show what `syncline apply` would change on a cluster, as a diff.",
        exitCodeOnInvalidInput = SynclineCli.PROBLEMS,
        description = {"Compares syncline.yaml with a running cluster (any Kafka, Confluent-compatible registry and "
                + "Kafka Connect; the embedded stack of `syncline up` is found like every command finds it) and shows "
                + "what `syncline apply` would change: topics (create; grow partitions, which can only grow; change "
                + "settings), the canonical schemas of schemas/ per registry subject (new subject, or a new version "
                + "the registry finds compatible), connectors (create, update with a per-key diff, pause, resume, "
                + "stop, and delete with --prune). The mappings are compiled against the registry's schemas. Secret "
                + "values are never shown.",
            "Everything is checked by the cluster itself without changing it: topics with Kafka's validate-only "
                + "calls, schemas with the registry's compatibility endpoint, connectors with Connect's "
                + "PUT /connector-plugins/<class>/config/validate (the connector's own validate(), with the worker's "
                + "plugins and config providers). Problems are printed as `error:` lines on stderr.",
            "Exit code 0 when the plan can be applied (or there is nothing to do), 1 on a problem or a bad command "
                + "line; with --detailed-exitcode, 0 when there are no changes, 2 when there are, 1 on a problem."})
final class PlanCommand implements Callable<Integer> {

    /** With {@code --detailed-exitcode}: the plan has changes (Terraform's convention). */
    static final int CHANGES = 2;

    @Mixin
    HelpOption help;

    @Mixin
    PlanOptions options;

    @Option(names = "--detailed-exitcode", description = "Exit 0 when there are no changes, 2 when there are, 1 on a "
            + "problem (for CI: fail a check when the cluster drifted from syncline.yaml).")
    boolean detailedExitCode;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Logging.off();
        try (Cluster cluster = options.cluster()) {
            Plan plan = Planner.plan(options.desired(cluster), cluster, options.prune);
            plan.render(spec.commandLine().getOut(), spec.commandLine().getErr());
            if (!plan.valid()) {
                return SynclineCli.PROBLEMS;
            }
            return detailedExitCode && plan.hasChanges() ? CHANGES : 0;
        }
    }
}

package io.syncline.cli.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.syncline.cli.common.CliException;

/**
 * Carries a {@link Plan} out on its cluster in the plan's order (topics, then schemas, then connectors), one change
 * at a time, and stops at the first that fails, so that nothing is built on a step that did not happen. A plan with
 * problems is not started at all.
 */
public final class Applier {

    private Applier() {
    }

    /**
     * What an apply did.
     *
     * @param applied the changes carried out, in order
     * @param failed the change that failed, or null
     * @param error why it failed (what the cluster answered), or null
     * @param notApplied the changes not carried out: the failed one and every one after it
     */
    public record Result(List<Change> applied, Change failed, String error, List<Change> notApplied) {
        public boolean ok() {
            return failed == null;
        }
    }

    /**
     * Applies {@code plan} on {@code cluster}.
     *
     * @param progress told of each change once it is carried out
     * @throws IllegalArgumentException when the plan has problems: nothing is applied then
     */
    public static Result apply(Plan plan, Cluster cluster, Consumer<Change> progress) {
        if (!plan.valid()) {
            throw new IllegalArgumentException("the plan has " + plan.problems().size() + " problem(s); nothing applied");
        }
        List<Change> applied = new ArrayList<>();
        List<Change> changes = plan.changes();
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            try {
                c.apply(cluster);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return new Result(List.copyOf(applied), c, CliException.describe(e),
                        List.copyOf(changes.subList(i, changes.size())));
            }
            applied.add(c);
            progress.accept(c);
        }
        return new Result(List.copyOf(applied), null, null, List.of());
    }
}

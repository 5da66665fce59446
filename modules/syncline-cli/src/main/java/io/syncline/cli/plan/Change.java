package io.syncline.cli.plan;

import java.util.List;

/**
 * One step {@code syncline apply} takes on a cluster, as {@code syncline plan} shows it: a symbol ({@code +} create,
 * {@code ~} change, {@code -} delete), the object, a one-line summary and detail lines (a connector's per-key diff,
 * secret values masked), and the call that carries it out.
 */
public interface Change {

    /** Where the change belongs, in the order apply carries the sections out. */
    enum Section {
        TOPICS("Topics"), SCHEMAS("Schemas"), CONNECTORS("Connectors");

        private final String title;

        Section(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    Section section();

    /** {@code +}, {@code ~} or {@code -}. */
    String symbol();

    /** The topic, subject or connector. */
    String name();

    /** What happens, e.g. {@code create: 12 partitions, cleanup.policy=delete}. */
    String summary();

    /** Lines under the summary (a connector's settings or its per-key diff); never a secret value. */
    default List<String> details() {
        return List.of();
    }

    /** Carries the change out; throws with what the cluster answered. */
    void apply(Cluster cluster) throws Exception;

    /** The change in the past tense, for the apply report: {@code created topic raw.stripe.charge}. */
    String done();

    /** The change as a task, for the list of what was not applied: {@code create topic raw.stripe.charge}. */
    String todo();
}

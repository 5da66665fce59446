package io.syncline.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Apply's order and its stop at the first failure. The changes here are stand-ins that record their call (a cluster
 * that fails a change after validating it cannot be arranged on purpose); PlanApplyIT runs real ones.
 */
class ApplierTest {

    private final List<String> calls = new ArrayList<>();
    private final Cluster.Address address = new Cluster.Address("k:9092", "http://r", "http://c", "a test");

    @Test
    void appliesInOrderAndStopsAtTheFirstFailureSayingWhatWasAndWasNotApplied() {
        Plan plan = plan(List.of(change("topic a", false), change("schema b", true), change("connector c", false)),
                List.of());
        Applier.Result result = Applier.apply(plan, null, c -> calls.add("reported " + c.name()));
        assertThat(calls).containsExactly("apply topic a", "reported topic a", "apply schema b");
        assertThat(result.ok()).isFalse();
        assertThat(result.applied()).extracting(Change::name).containsExactly("topic a");
        assertThat(result.failed().name()).isEqualTo("schema b");
        assertThat(result.error()).isEqualTo("schema b refused: HTTP 409");
        assertThat(result.notApplied()).extracting(Change::name).containsExactly("schema b", "connector c");
    }

    @Test
    void aPlanWithAProblemChangesNothing() {
        Plan plan = plan(List.of(change("topic a", false)), List.of("schema x is incompatible"));
        assertThatThrownBy(() -> Applier.apply(plan, null, c -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing applied");
        assertThat(calls).isEmpty();
    }

    private Plan plan(List<Change> changes, List<String> problems) {
        return new Plan(address, changes, Map.of(), "", List.of(), problems, Map.of());
    }

    private Change change(String name, boolean fails) {
        return new Change() {
            @Override
            public Section section() {
                return Section.TOPICS;
            }

            @Override
            public String symbol() {
                return "+";
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String summary() {
                return "create";
            }

            @Override
            public void apply(Cluster cluster) {
                calls.add("apply " + name);
                if (fails) {
                    throw new IllegalStateException(name + " refused: HTTP 409");
                }
            }

            @Override
            public String done() {
                return "did " + name;
            }

            @Override
            public String todo() {
                return "do " + name;
            }
        };
    }
}

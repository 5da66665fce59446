package io.syncline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class VersionGateTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void refusesAVersionOlderThanOneAlreadyTakenForTheSameKey() {
        VersionGate gate = new VersionGate(10);
        assertThat(gate.admit(P0, "a", 200L)).isTrue();
        assertThat(gate.admit(P0, "a", 100L)).isFalse();
        assertThat(gate.admit(P0, "a", 200L)).as("equal versions are both real changes").isTrue();
        assertThat(gate.admit(P0, "a", 300L)).isTrue();
        assertThat(gate.admit(P0, "b", 100L)).as("other keys are independent").isTrue();
        assertThat(gate.admit(P0, "a", null)).as("no version: no opinion").isTrue();
        assertThat(gate.newest(P0, "a")).isEqualTo(300L);
    }

    @Test
    void aRevokedPartitionIsForgottenSoItsChangesAreNotStaleWhenItIsReadAgain() {
        VersionGate gate = new VersionGate(10);
        gate.admit(P0, "a", 100L);
        gate.admit(P0, "a", 800L);
        gate.admit(P1, "b", 500L);

        gate.forget(List.of(P0));

        // Assigned again, P0 is read again from its committed offset: version 100 comes first once more.
        assertThat(gate.admit(P0, "a", 100L)).isTrue();
        assertThat(gate.admit(P1, "b", 400L)).as("P1 was not revoked").isFalse();
    }

    @Test
    void forgetsTheLeastRecentlyUsedKeysBeyondItsSize() {
        VersionGate gate = new VersionGate(2);
        gate.admit(P0, "a", 5L);
        gate.admit(P0, "b", 5L);
        gate.admit(P0, "a", 6L);
        gate.admit(P0, "c", 5L);
        assertThat(gate.size()).isEqualTo(2);
        assertThat(gate.newest(P0, "b")).isNull();
        assertThat(gate.newest(P0, "a")).isEqualTo(6L);
    }
}

package io.syncline.sandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FaultsTest {

    @Test
    void appliesOnlyTheKnobsGiven() {
        Faults f = new Faults().latency(10, 5);
        f.apply(Json.read("{\"serverErrorRatio\":0.25,\"timeoutMs\":1500}"));
        assertThat(f.serverErrorRatio()).isEqualTo(0.25);
        assertThat(f.timeoutMs()).isEqualTo(1500);
        assertThat(f.latencyMs()).isEqualTo(10);
        assertThat(f.latencyJitterMs()).isEqualTo(5);
    }

    @Test
    void aBadBodyChangesNothingAndNamesTheKnob() {
        Faults f = new Faults();
        assertThatThrownBy(() -> f.apply(Json.read("{\"serverErrorRatio\":0.5,\"malformedRatio\":1.5}")))
                .hasMessageContaining("malformedRatio").hasMessageContaining("1.5");
        assertThat(f.serverErrorRatio()).isZero();
        assertThatThrownBy(() -> f.apply(Json.read("{\"nope\":1}"))).hasMessageContaining("unknown fault knob 'nope'");
        assertThatThrownBy(() -> f.apply(Json.read("{\"latencyMs\":\"slow\"}"))).hasMessageContaining("latencyMs");
        assertThatThrownBy(() -> f.serverErrorStatus(418)).hasMessageContaining("418");
        assertThatThrownBy(() -> f.apply(Json.read("{\"webhookDropRatio\":2}")))
                .hasMessageContaining("webhookDropRatio must be between 0 and 1, got 2.0");
        f.apply(Json.read("{\"webhookDropRatio\":0.2}"));
        assertThat(f.webhookDropRatio()).isEqualTo(0.2);
        assertThat(f.snapshot()).containsEntry(Faults.WEBHOOK_DROP_RATIO, 0.2);
    }

    @Test
    void resetTurnsEverythingOff() {
        Faults f = new Faults().serverErrorRatio(1).connectionResetRatio(1).webhookDuplicateRatio(1).timeoutMs(5)
                .webhookDropRatio(0.5);
        f.reset();
        assertThat(f.webhookDropRatio()).isZero();
        assertThat(f.serverErrorRatio()).isZero();
        assertThat(f.connectionResetRatio()).isZero();
        assertThat(f.webhookDuplicateRatio()).isZero();
        assertThat(f.timeoutMs()).isEqualTo(30_000);
    }
}

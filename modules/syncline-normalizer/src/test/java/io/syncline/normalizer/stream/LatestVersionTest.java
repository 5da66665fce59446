package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import io.syncline.normalizer.stream.LatestVersion.Verdict;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class LatestVersionTest {

    private final Serde<LatestVersion> serde = LatestVersion.serde();

    @Test
    void aKeyWithoutAVersionOrANewerRecordIsEmitted() {
        assertThat(LatestVersion.judge(null, 5, "evt_1")).isEqualTo(Verdict.EMIT);
        LatestVersion v = LatestVersion.after(null, 5, "evt_1");
        assertThat(LatestVersion.judge(v, 6, "evt_1")).as("a newer version, even under a seen id").isEqualTo(Verdict.EMIT);
        assertThat(LatestVersion.judge(v, 4, "evt_0")).isEqualTo(Verdict.STALE);
        assertThat(LatestVersion.judge(v, 5, "evt_1")).isEqualTo(Verdict.DUPLICATE);
        assertThat(LatestVersion.judge(v, 5, "evt_2")).isEqualTo(Verdict.EMIT);
        assertThat(LatestVersion.judge(v, 5, null)).isEqualTo(Verdict.EMIT);
    }

    @Test
    void idsOfTheSameTimeAccumulateAndANewerTimeStartsOver() {
        LatestVersion v = LatestVersion.after(LatestVersion.after(null, 5, "a"), 5, "b");
        assertThat(v.eventIds()).containsExactly("a", "b");
        LatestVersion newer = LatestVersion.after(v, 9, "c");
        assertThat(newer).isEqualTo(new LatestVersion(9, List.of("c")));
        assertThat(LatestVersion.after(newer, 9, null).eventIds()).containsExactly("c");
    }

    @Test
    void keepsTheNewestIdsUpToTheCap() {
        LatestVersion v = null;
        for (int i = 0; i < LatestVersion.MAX_EVENT_IDS + 3; i++) {
            v = LatestVersion.after(v, 7, "evt_" + i);
        }
        assertThat(v.eventIds()).hasSize(LatestVersion.MAX_EVENT_IDS).startsWith("evt_3")
                .endsWith("evt_" + (LatestVersion.MAX_EVENT_IDS + 2));
        assertThat(LatestVersion.judge(v, 7, "evt_0")).as("forgotten past the cap").isEqualTo(Verdict.EMIT);
    }

    @Test
    void aVeryLongIdIsKeptAsItsHashAndStillRecognised() {
        String longId = "x".repeat(10_000);
        LatestVersion v = LatestVersion.after(null, 1, longId);
        assertThat(v.eventIds()).singleElement().asString().startsWith("sha256:").hasSize(71);
        assertThat(LatestVersion.judge(serde.deserializer().deserialize("t", serde.serializer().serialize("t", v)), 1,
                longId)).isEqualTo(Verdict.DUPLICATE);
    }

    @Test
    void roundTripsThroughItsSerde() {
        LatestVersion v = new LatestVersion(1_717_171_718_000L, IntStream.range(0, 5).mapToObj(i -> "évt_ü_" + i)
                .toList());
        byte[] bytes = serde.serializer().serialize("t", v);
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(v);
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t",
                new LatestVersion(-3, List.of())))).isEqualTo(new LatestVersion(-3, List.of()));
        assertThat(serde.serializer().serialize("t", null)).isNull();
    }
}
